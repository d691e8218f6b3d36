"""Measuring the app's defences (issue 17): audio bombs and a bounded loopback load."""
