/* Shopping-assistant widget: paste
 *   <script src="https://YOUR-ASSISTANT-HOST/widget.js" defer></script>
 * into any page of the shop. It adds a "Chat with us" button that opens the assistant (the
 * chat at /chat/ of the same host) in a panel; under 600 px wide the panel is a full-screen
 * sheet. No third-party requests. Options (all optional, docs/widget.md):
 *   data-title="Chat with us"     the button's and the panel's title
 *   data-color="#1d4ed8"          the button's and the header's colour
 *   data-position="right|left"    which corner
 *   data-theme="light|dark|auto"  the chat's colours; auto: follows this page's background
 *   data-welcome="Hi! ..."        the first words in the chat
 *   data-suggestions="A|B|C"      the first suggestion chips
 *   data-label-close, data-label-speak: the header buttons' names (other languages);
 *   data-label-unread: what the launcher adds to its name when the shop's team answered while closed
 *   data-preload="true"           load the chat while the page is idle, so it opens at once
 * JavaScript API: ShopAssistant.open(), .close(), .toggle(), .identify(email),
 * .on(event, handler) with events "open", "close", "message" (detail: {team}: true for a reply
 * from the shop's team), "add-to-cart" (detail: {productId, quantity}); the same events are
 * dispatched on window as "shopassist:<event>".
 */
(function () {
  if (window.ShopAssistant) return;
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var base = new URL(".", script ? script.src : window.location.href).href;
  var origin = new URL(base).origin;
  var title = data.title || "Chat with us";
  var color = /^#[0-9a-f]{3,8}$|^[a-z]+$|^rgb\([\d\s,.%]+\)$/i.test(data.color || "") ? data.color : "#1d4ed8";
  var side = data.position === "left" ? "left" : "right";
  var labels = {
    close: data.labelClose || "Close the assistant",
    speak: data.labelSpeak || "Read answers aloud",
    unread: data.labelUnread || "new reply from the shop",
  };

  function luminance(rgb) {
    var m = (rgb || "").match(/\d+(\.\d+)?/g);
    if (!m || (m.length > 3 && Number(m[3]) === 0)) return null;  // transparent
    return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255;
  }
  function theme() {
    if (data.theme === "dark" || data.theme === "light") return data.theme;
    if (data.theme !== "auto") return "light";  // the chat matches a light shop page unless told
    var seen = luminance(getComputedStyle(document.body).backgroundColor);
    if (seen === null) seen = luminance(getComputedStyle(document.documentElement).backgroundColor);
    return seen !== null && seen < 0.5 ? "dark" : "light";
  }

  var style = document.createElement("style");
  style.textContent =
    "#sa-launcher{position:fixed;" + side + ":20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;" +
    "min-height:48px;padding:0 22px;background:" + color + ";color:#fff;font:600 16px/1 system-ui,sans-serif;cursor:pointer;" +
    "box-shadow:0 6px 20px rgba(0,0,0,.25)}#sa-launcher:focus-visible,#sa-panel .sa-head button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    "#sa-panel{position:fixed;" + side + ":20px;bottom:84px;z-index:2147483000;width:min(420px,calc(100vw - 40px));" +
    "height:min(680px,calc(100vh - 110px));background:#fff;border-radius:14px;overflow:hidden;" +
    "box-shadow:0 12px 40px rgba(0,0,0,.3);display:none;flex-direction:column}" +
    "#sa-panel[data-theme=dark]{background:#0b0f19}" +
    "#sa-panel[data-open=true]{display:flex}#sa-panel .sa-head{display:flex;align-items:center;gap:4px;" +
    "padding:4px 6px 4px 16px;background:" + color + ";color:#fff;font:600 16px system-ui,sans-serif;min-height:52px;box-sizing:border-box}" +
    "#sa-panel .sa-head span{flex:1}" +
    "#sa-panel .sa-head button{background:transparent;border:0;color:#fff;font-size:22px;cursor:pointer;min-width:44px;min-height:44px;border-radius:8px}" +
    "#sa-panel .sa-head button[aria-pressed=true]{background:rgba(255,255,255,.25)}" +
    "#sa-panel iframe{flex:1;border:0;width:100%}" +
    "@media (max-width:600px){#sa-panel{left:0;right:0;top:0;bottom:0;width:100%;height:100%;height:100dvh;border-radius:0;" +
    "padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);box-sizing:border-box}" +
    "#sa-panel[data-open=true]~#sa-launcher{display:none}}" +
    "#sa-launcher[data-unread=true]::after{content:'';position:absolute;top:4px;" + side + ":4px;width:12px;height:12px;" +
    "border-radius:50%;background:#d92d20;border:2px solid #fff}";
  document.head.appendChild(style);

  var launcher = document.createElement("button");
  launcher.id = "sa-launcher";
  launcher.type = "button";
  launcher.textContent = title;
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "sa-panel");

  var panel = document.createElement("div");
  panel.id = "sa-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  var header = document.createElement("div");  // not a <header>: the shop's page has its own banner
  header.className = "sa-head";
  var heading = document.createElement("span");
  heading.textContent = title;
  var speak = document.createElement("button");
  speak.type = "button";
  speak.innerHTML =
    '<svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="currentColor"><path d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/></svg>';
  speak.setAttribute("aria-label", labels.speak);
  speak.setAttribute("aria-pressed", "false");
  speak.hidden = !("speechSynthesis" in window);
  var closer = document.createElement("button");
  closer.type = "button";
  closer.textContent = "\u00d7";
  closer.setAttribute("aria-label", labels.close);
  header.appendChild(heading);
  header.appendChild(speak);
  header.appendChild(closer);
  panel.appendChild(header);

  var handlers = {};
  function emit(name, detail) {
    (handlers[name] || []).forEach(function (fn) { try { fn(detail); } catch (e) { console.error(e); } });
    window.dispatchEvent(new CustomEvent("shopassist:" + name, {detail: detail}));
  }

  var frame = null, ready = false, email = null, lastFocus = null;
  function chatAddress() {
    var query = new URLSearchParams({__theme: theme()});
    if (data.welcome) query.set("welcome", data.welcome);
    if (data.suggestions) query.set("suggestions", data.suggestions);
    return base + "chat/?" + query.toString();
  }
  function post(message) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, origin);
  }
  function load() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.src = chatAddress();
    frame.title = title;
    frame.allow = "microphone; autoplay";
    frame.addEventListener("load", function () {
      ready = true;
      if (email) post({type: "shopassist:identify", email: email});
      if (panel.dataset.open === "true") setTimeout(function () { post({type: "shopassist:focus"}); }, 300);
    });
    panel.dataset.theme = theme();
    panel.appendChild(frame);
  }
  function open() {
    if (panel.dataset.open === "true") return;
    lastFocus = document.activeElement;
    load();
    panel.dataset.open = "true";
    launcher.setAttribute("aria-expanded", "true");
    delete launcher.dataset.unread;
    launcher.removeAttribute("aria-label");
    if (ready) post({type: "shopassist:focus"});
    else closer.focus();
    emit("open", {});
  }
  function close() {
    if (panel.dataset.open !== "true") return;
    panel.dataset.open = "false";
    launcher.setAttribute("aria-expanded", "false");
    (lastFocus && lastFocus.focus ? lastFocus : launcher).focus();
    emit("close", {});
  }
  launcher.addEventListener("click", function () { panel.dataset.open === "true" ? close() : open(); });
  closer.addEventListener("click", close);
  speak.addEventListener("click", function () {
    var on = speak.getAttribute("aria-pressed") !== "true";
    speak.setAttribute("aria-pressed", on ? "true" : "false");
    post({type: "shopassist:speak", on: on});
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && panel.dataset.open === "true") close();
  });
  // what the chat (same host as this script) tells this page
  window.addEventListener("message", function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    var message = e.data || {};
    if (message.type === "shopassist:close") close();
    else if (message.type === "shopassist:message") {
      // the shop's team answered while the panel was closed: a dot on the launcher until it opens
      if (message.team && panel.dataset.open !== "true") {
        launcher.dataset.unread = "true";
        launcher.setAttribute("aria-label", title + " (" + labels.unread + ")");
      }
      emit("message", {team: !!message.team});
    }
    else if (message.type === "shopassist:add-to-cart" && typeof message.productId === "string")
      emit("add-to-cart", {productId: message.productId, quantity: Number(message.quantity) || 1});
  });

  window.ShopAssistant = {
    open: open,
    close: close,
    toggle: function () { panel.dataset.open === "true" ? close() : open(); },
    /** the signed-in shopper's email, used as if they had typed it (an order still needs its number) */
    identify: function (address) {
      email = typeof address === "string" && address.length < 255 ? address : null;
      if (ready && email) post({type: "shopassist:identify", email: email});
    },
    on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
  };
  document.body.appendChild(panel);
  document.body.appendChild(launcher);
  if (data.preload === "true") {
    (window.requestIdleCallback || function (fn) { setTimeout(fn, 2000); })(load);
  }
})();
