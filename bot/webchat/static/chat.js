// The web chat page. Every text the debtor or the bot wrote is inserted
// with textContent, never parsed as HTML: a message is data, not markup.
"use strict";

(function () {
  const main = document.getElementById("chat");
  const list = document.getElementById("messages");
  const form = document.getElementById("compose");
  const box = document.getElementById("text");
  const status = document.getElementById("status");
  const intro = document.getElementById("intro");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  const texts = {
    failed: "Versturen is niet gelukt. Controleer uw verbinding en probeer het opnieuw.",
    tooLong: "Uw bericht is te lang. Maak het korter en probeer het opnieuw.",
    tooMany: "U stuurt veel berichten kort na elkaar. Wacht een minuut en probeer het opnieuw.",
    reload: "Uw sessie is verlopen. Laad de pagina opnieuw.",
    offline: "De verbinding is verbroken. Wij proberen opnieuw te verbinden…",
    choose: "Kies ",
  };

  // messageId is the page's own id for a message: a retry carries the
  // same id, so the server keeps the message once.
  function messageId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // identified switches the input's hint once the debtor is past the
  // identification: the bot offers buttons only to a debtor it knows, so
  // the first buttons mean the dossier-number example no longer applies.
  function identified() {
    const after = box.dataset.placeholderIdentified;
    if (after && box.placeholder !== after) {
      box.placeholder = after;
    }
  }

  // add shows one line of the conversation. Options become buttons that
  // send their label: the choice's meaning, which the dialog reads as that
  // choice (a bare digit would be read as an amount by some questions).
  function add(line) {
    for (const old of list.querySelectorAll(".options")) {
      old.remove(); // only the latest question's options can be answered
    }
    const li = document.createElement("li");
    li.className = line.from === "debtor" ? "debtor" : "bot";
    const p = document.createElement("p");
    p.textContent = line.text;
    li.appendChild(p);
    if (line.from !== "debtor" && Array.isArray(line.options) && line.options.length > 0) {
      const group = document.createElement("div");
      group.className = "options";
      group.setAttribute("role", "group");
      line.options.forEach((label, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = label;
        b.setAttribute("aria-label", texts.choose + (i + 1) + ": " + label);
        b.addEventListener("click", () => send(label));
        group.appendChild(b);
      });
      li.appendChild(group);
      identified();
    }
    list.appendChild(li);
    li.scrollIntoView({ block: "end" });
    if (line.from === "debtor") {
      intro.hidden = true; // the conversation has begun: room for it
    }
  }

  function say(text) {
    status.textContent = text;
  }

  // post sends one message, retrying a few times with the same id when
  // the server or the network failed.
  async function post(id, text) {
    for (let attempt = 0; attempt < 3; attempt++) {
      let res;
      try {
        res = await fetch("/chat/messages", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ id: id, text: text }),
        });
      } catch (e) {
        res = null;
      }
      if (res && res.status === 202) {
        return true;
      }
      if (res && res.status === 413) { say(texts.tooLong); return false; }
      if (res && res.status === 429) { say(texts.tooMany); return false; }
      if (res && res.status === 403) { say(texts.reload); return false; }
      if (res && res.status < 500) { say(texts.failed); return false; }
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
    }
    say(texts.failed);
    return false;
  }

  async function send(text) {
    text = text.trim();
    if (text === "") {
      return;
    }
    say("");
    add({ from: "debtor", text: text });
    await post(messageId(), text);
  }

  // A photo or PDF goes as evidence, like an attachment on WhatsApp.
  const file = document.getElementById("file");
  if (file) {
    file.addEventListener("change", async () => {
      const f = file.files && file.files[0];
      if (!f) {
        return;
      }
      say("");
      add({ from: "debtor", text: "\u{1F4CE} " + f.name });
      const body = new FormData();
      body.append("id", messageId());
      body.append("file", f, f.name);
      let res = null;
      try {
        res = await fetch("/chat/files", {
          method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf }, body: body,
        });
      } catch (e) {
        res = null;
      }
      if (!res || res.status !== 202) {
        say(res && res.status === 413 ? texts.tooLong : texts.failed);
      }
      file.value = "";
    });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = box.value;
    box.value = "";
    send(text);
    box.focus();
  });

  // Enter sends; Shift+Enter starts a new line.
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  const events = new EventSource("/chat/events");
  events.addEventListener("open", () => {
    main.dataset.live = "true";
    if (status.textContent === texts.offline) {
      say("");
    }
  });
  events.addEventListener("error", () => {
    main.dataset.live = "false";
    // CLOSED: the server refused the stream (the session has ended), so
    // the browser will not retry; otherwise it reconnects by itself.
    say(events.readyState === EventSource.CLOSED ? texts.reload : texts.offline);
  });
  events.addEventListener("history", (e) => {
    list.replaceChildren();
    for (const line of JSON.parse(e.data)) {
      add(line);
    }
  });
  events.addEventListener("reply", (e) => {
    const r = JSON.parse(e.data);
    add({ from: "bot", text: r.text, options: r.options });
  });
})();
