/* The chat page's own script (ui.head()): put in the page's <head> by Gradio.
 * - names the message box for screen readers (Gradio labels the buttons, not the box);
 * - voice in one tap: the 🎤 button records, stops on a pause (or a second tap) and sends;
 * - inside the widget (widget.js on the shop's page): "Add to cart" on a card or in words
 *   ("add the second one to my cart"), each answer and Escape are told to the host page; the host page can ask for focus and for answers
 *   read aloud by the browser's speech synthesis.
 */
(function () {
  var inWidget = window.parent !== window;
  function tell(message) {
    // nothing secret: a product id, "an answer came", "close me"; the host page checks our origin
    if (inWidget) window.parent.postMessage(message, "*");
  }

  // ---- labels and answers --------------------------------------------------------------
  var answers = 0;
  var speaking = false;
  function lastAnswer() {
    var bots = document.querySelectorAll("#sa-chat .message-row.bot-row");
    return bots.length ? bots[bots.length - 1] : null;
  }
  var teamSeen = -1;  // replies from the shop's team shown so far (-1: the conversation is not shown yet)
  var cartSeen = -1;  // "add it to my cart" answers told to the host page (-1: the same)
  function tellCart() {
    // an answer that adds to the cart in words carries a hidden marker per product; those in a
    // conversation restored after a reload were told already
    var marks = document.querySelectorAll("#sa-chat .sa-cart-add");
    if (cartSeen < 0) {
      if (document.querySelector("#sa-chat .message-row")) cartSeen = marks.length;
      return;
    }
    for (var i = cartSeen; i < marks.length; i++) {
      tell({type: "shopassist:add-to-cart", productId: marks[i].getAttribute("title"),
            quantity: Number(marks[i].textContent) || 1});
    }
    cartSeen = Math.max(cartSeen, marks.length);
  }
  function onChange() {
    document.querySelectorAll("#sa-input textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Message to the shopping assistant");
    });
    // a reply from the shop's team joins the assistant's bubble group, so it is counted on its own;
    // those already there when the conversation came back after a reload are not new
    var team = document.querySelectorAll("#sa-chat .sa-team").length;
    if (teamSeen < 0) {
      if (document.querySelector("#sa-chat .message-row")) teamSeen = team;
    } else if (team > teamSeen) {
      teamSeen = team;
      tell({type: "shopassist:message", team: true});
    }
    tellCart();
    var last = lastAnswer();
    var count = document.querySelectorAll("#sa-chat .message-row.bot-row").length;
    if (!last || last.querySelector(".sa-typing") || count === answers) return;
    answers = count;
    tell({type: "shopassist:message"});
    if (speaking && window.speechSynthesis) {
      var clone = last.cloneNode(true);
      clone.querySelectorAll(".sa-cards, .sa-compare, button").forEach(function (el) { el.remove(); });
      var text = (clone.innerText || "").trim();
      if (text) {
        window.speechSynthesis.cancel();
        window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
      }
    }
  }
  new MutationObserver(onChange).observe(document.documentElement, {childList: true, subtree: true, characterData: true});

  // ---- the host page -------------------------------------------------------------------
  if (inWidget) {
    var shown = document.createElement("style");  // Gradio scopes the app's own CSS to its container
    shown.textContent = ".sa-cart-event{display:inline-block!important}";
    document.head.appendChild(shown);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.sa-cart");
    if (!link || !inWidget) return;
    var href = link.getAttribute("href") || "";
    var fromLink = href.indexOf("#sa-add-to-cart:") === 0 ? decodeURIComponent(href.slice(16)) : null;
    var card = link.closest(".sa-card");
    var id = fromLink || (card && (card.getAttribute("title") || "").replace(/^Item /, ""));
    if (!id) return;
    tell({type: "shopassist:add-to-cart", productId: id, quantity: 1});
    if (fromLink) event.preventDefault();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") tell({type: "shopassist:close"});
  });
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data) return;
    if (event.data.type === "shopassist:focus") {
      var box = document.querySelector("#sa-input textarea");
      if (box) box.focus();
    } else if (event.data.type === "shopassist:identify" && typeof event.data.email === "string") {
      var field = document.querySelector("#sa-identity textarea, #sa-identity input");
      if (!field) return;
      field.value = event.data.email.slice(0, 254);
      field.dispatchEvent(new Event("input", {bubbles: true}));
    } else if (event.data.type === "shopassist:speak") {
      speaking = !!event.data.on;
      if (!speaking && window.speechSynthesis) window.speechSynthesis.cancel();
    }
  });

  // ---- voice in one tap ----------------------------------------------------------------
  var PAUSE_MS = 1200;      // this long quiet after speech ends the recording
  var NOTHING_MS = 6000;    // no speech at all this long: stop
  var LONGEST_MS = 30000;   // never longer than this
  var recording = null;

  function micButton() { return document.getElementById("sa-mic"); }
  function setState(state) {
    var button = micButton();
    if (!button) return;
    button.dataset.state = state;
    button.setAttribute("aria-pressed", state === "recording" ? "true" : "false");
    button.setAttribute("aria-label", state === "recording" ? "Stop recording and send" : "Speak your question");
  }
  function send(blob) {
    var input = document.querySelector("#sa-input input[type=file]");
    if (!input || !blob.size) return;
    var type = blob.type || "audio/webm";
    var file = new File([blob], "voice." + (type.indexOf("ogg") >= 0 ? "ogg" : "webm"), {type: type});
    var files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
    var tries = 0;
    (function submitWhenAttached() {  // Gradio uploads the file, then the send button takes it
      var attached = document.querySelector("#sa-input .thumbnail-item, #sa-input .thumbnails > *");
      var submit = document.querySelector("#sa-input .submit-button");
      if (attached && submit && !submit.disabled) return submit.click();
      if (++tries < 100) setTimeout(submitWhenAttached, 100);
    })();
  }
  function stop() {
    if (recording && recording.recorder.state !== "inactive") recording.recorder.stop();
  }
  function start() {
    if (!navigator.mediaDevices || !window.MediaRecorder) return;
    navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      var recorder = new MediaRecorder(stream);
      var chunks = [];
      var context = new (window.AudioContext || window.webkitAudioContext)();
      var analyser = context.createAnalyser();
      context.createMediaStreamSource(stream).connect(analyser);
      var samples = new Uint8Array(analyser.fftSize);
      var began = Date.now(), heard = false, quietSince = Date.now();
      recording = {recorder: recorder};
      recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        context.close();
        recording = null;
        setState("idle");
        if (heard) send(new Blob(chunks, {type: recorder.mimeType}));
      };
      recorder.start(250);
      setState("recording");
      (function listen() {
        if (!recording) return;
        analyser.getByteTimeDomainData(samples);
        var peak = 0;
        for (var i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] - 128));
        var now = Date.now();
        if (peak > 12) { heard = true; quietSince = now; }
        if ((heard && now - quietSince > PAUSE_MS) || (!heard && now - began > NOTHING_MS) || now - began > LONGEST_MS) return stop();
        setTimeout(listen, 50);
      })();
    }).catch(function () { setState("denied"); });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#sa-mic");
    if (!button) return;
    event.preventDefault();
    recording ? stop() : start();
  });
  new MutationObserver(function () {
    var button = micButton();
    if (button && !button.dataset.state) setState("idle");
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
