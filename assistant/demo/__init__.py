"""The bundled demo store's data (Northwind Outfitters): catalog, policies, orders, images and
labelled sets. Data only; the generators that rebuild it live in tools/demo_store/."""
