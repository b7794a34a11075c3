// The console's only script. It opens the conversation at its newest
// message, lets a standard answer fill the reply box, and keeps the open
// page up to date: it listens to /console/events (Server-Sent Events; the
// browser reconnects by itself) and, when something happens that the page
// shows, asks its own server for the data again (/console/queue.json, or
// the chat's feed) and adds what is new. An announcement carries no
// debtor's words; those come from the feed and reach the page only as
// text (textContent), never as HTML. Without this script every page
// still works: it just does not change until reloaded.
"use strict";
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var conversation = document.getElementById("conversation");
    if (conversation) {
      conversation.scrollTop = conversation.scrollHeight;
    }
    cannedReplies();
    if (!window.EventSource || !window.fetch) {
      return;
    }
    var chat = document.getElementById("chat");
    var queue = document.getElementById("queue");
    if (chat && chat.dataset.handoff) {
      listen(chatPage(chat));
    } else if (queue) {
      listen(queuePage(queue));
    }
  });

  // Picking a standard answer fills the reply box, so the collector can
  // read and adjust it before sending (the server sends the picked answer
  // when the box is empty).
  function cannedReplies() {
    var canned = document.getElementById("canned");
    var text = document.getElementById("reply-text");
    if (!canned || !text) {
      return;
    }
    canned.addEventListener("change", function () {
      var opt = canned.options[canned.selectedIndex];
      var t = opt && opt.getAttribute("data-text");
      if (t) {
        text.value = t;
        text.focus();
      }
    });
  }

  // listen runs page.refresh when the stream opens (for what happened
  // before it did) and on every announcement page.wants; one refresh at a
  // time, and one more if announcements came in meanwhile.
  function listen(page) {
    var busy = false;
    var again = false;
    var events = new EventSource("/console/events");
    function refresh() {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      page.refresh().then(function (ok) {
        busy = false;
        if (ok === false) {
          events.close();
          return;
        }
        if (again) {
          again = false;
          refresh();
        }
      }, function () {
        busy = false; // a network blip: the next announcement tries again
      });
    }
    events.addEventListener("open", refresh);
    events.addEventListener("activity", function (ev) {
      var a;
      try {
        a = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (page.wants(a)) {
        refresh();
      }
    });
  }

  // getJSON fetches url as the page's user. It resolves to the data, or to
  // null after telling the reader why there is none (logged out).
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        notice("U bent niet meer ingelogd; deze pagina wordt niet meer bijgewerkt.", true);
        return null;
      }
      if (!res.ok) {
        throw new Error("status " + res.status);
      }
      return res.json();
    });
  }

  // notice shows text in the page's live notice, with a link that reloads
  // the page when reload is true.
  function notice(text, reload) {
    var p = document.getElementById("live-notice");
    if (!p) {
      return;
    }
    p.textContent = text;
    if (reload) {
      var a = el("a", "", "Pagina vernieuwen");
      a.href = location.pathname + location.search;
      p.appendChild(a);
    }
    p.hidden = false;
  }

  // el makes an element with a class and text; text is never parsed.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  // ---- the chat page ----

  function chatPage(root) {
    var id = Number(root.dataset.handoff);
    var caseID = Number(root.dataset.case || 0);
    var seen = { status: root.dataset.status, heldBy: Number(root.dataset.heldBy || 0), mine: root.dataset.mine === "true" };
    // Older dossier pages do not grow: new entries go on the first page.
    var newestDossier = !new URLSearchParams(location.search).has("before");
    return {
      wants: function (a) {
        // Announcements carry no address (a web chat's is its session):
        // this chat's own, or its case's, or a general one.
        return a.handoff_id === id || (caseID > 0 && a.case_id === caseID) || !a.handoff_id && !a.channel;
      },
      refresh: function () {
        return getJSON("/console/handoffs/" + id + "/feed").then(function (feed) {
          if (!feed) {
            return false;
          }
          holder(feed);
          addLines(feed.lines || []);
          if (newestDossier) {
            addEntries(feed.dossier || []);
          }
          showMedia(feed.media || []);
          return true;
        });
      }
    };

    // holder updates who holds the chat and, when it changed hands, says
    // so and disables the forms that no longer apply.
    function holder(feed) {
      var h = document.getElementById("holder");
      if (h) {
        h.textContent = feed.holder;
      }
      if (feed.status === seen.status && feed.held_by === seen.heldBy) {
        return;
      }
      var text;
      if (feed.status === "queued") {
        text = seen.mine ? "U heeft deze chat niet meer: hij staat weer in de wachtrij." : "Deze chat staat weer in de wachtrij.";
      } else if (feed.status === "resolved") {
        text = "Het gesprek is teruggegeven aan de assistent.";
      } else if (feed.mine) {
        text = "Deze chat is nu aan u toegewezen.";
      } else {
        text = "Deze chat is overgenomen: " + feed.holder + ".";
      }
      seen = { status: feed.status, heldBy: feed.held_by, mine: feed.mine };
      notice(text, true);
      // The forms on the page were for the old holder; the server would
      // refuse them now. The reload link brings the right ones.
      var stale = [];
      if (!feed.mine) {
        stale.push("reply", "resolve");
      }
      if (feed.status !== "queued") {
        stale.push("claim");
      }
      stale.forEach(function (name) {
        var form = document.getElementById(name) || document.querySelector("form[action$='/" + name + "']");
        if (form) {
          Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
            b.disabled = true;
          });
        }
      });
    }

    function addLines(lines) {
      var list = document.getElementById("conversation");
      if (!list) {
        return;
      }
      var atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      var added = false;
      lines.forEach(function (l) {
        if (list.querySelector("li[data-key='" + l.key + "']")) {
          return;
        }
        var li = el("li", l.from === "debtor" ? "debtor" : "us " + l.from);
        li.dataset.key = l.key;
        var when = el("span", "when");
        when.appendChild(el("b", "author", l.who));
        when.appendChild(document.createTextNode(" · " + l.when));
        li.appendChild(when);
        li.appendChild(el("p", "", l.text));
        if (l.options && l.options.length) {
          li.appendChild(el("span", "muted", "Knoppen: " + l.options.join(", ")));
        }
        list.appendChild(li);
        added = true;
      });
      if (added) {
        Array.prototype.forEach.call(list.querySelectorAll("li:not([data-key])"), function (li) {
          li.remove(); // "Nog geen berichten."
        });
        if (atEnd) {
          list.scrollTop = list.scrollHeight;
        }
      }
    }

    // entryItem builds a dossier entry as the page's template does
    // (dossierview's "dossier-entry"): the sentence, the words someone
    // wrote, the details and schedule folded.
    function entryItem(e) {
      var li = el("li");
      li.dataset.id = String(e.id);
      li.appendChild(el("span", "when", e.when + " · " + e.who + (e.channel ? " · via " + e.channel : "")));
      li.appendChild(el("p", "entry-summary", e.summary));
      if (e.text) {
        li.appendChild(el("p", "entry-text", e.text));
      }
      var details = e.details || [], schedule = e.schedule || [];
      if (details.length || schedule.length) {
        var fold = el("details", "entry-details");
        fold.appendChild(el("summary", "", schedule.length ? "Details en betaalschema (" + schedule.length + " termijnen)" : "Details"));
        if (details.length) {
          var dl = el("dl", "entry-facts");
          details.forEach(function (f) {
            dl.appendChild(el("dt", "", f.label));
            dl.appendChild(el("dd", "", f.value));
          });
          fold.appendChild(dl);
        }
        if (schedule.length) {
          var table = el("table", "entry-schedule");
          var head = el("tr");
          ["Termijn", "Datum", "Bedrag"].forEach(function (h) { head.appendChild(el("th", "", h)); });
          table.appendChild(head);
          schedule.forEach(function (t) {
            var tr = el("tr");
            tr.appendChild(el("td", "", String(t.seq)));
            tr.appendChild(el("td", "", t.due));
            tr.appendChild(el("td", "num", t.amount));
            table.appendChild(tr);
          });
          fold.appendChild(table);
        }
        li.appendChild(fold);
      }
      return li;
    }

    // addEntries puts dossier entries the page lacks on top (the feed is
    // newest first).
    function addEntries(entries) {
      var list = document.getElementById("dossier");
      if (!list) {
        return;
      }
      for (var i = entries.length - 1; i >= 0; i--) {
        var e = entries[i];
        if (list.querySelector("li[data-id='" + e.id + "']")) {
          continue;
        }
        list.insertBefore(entryItem(e), list.firstChild);
      }
    }

    // showMedia rebuilds the list of evidence files when it changed.
    function showMedia(files) {
      var list = document.getElementById("media");
      if (!list) {
        return;
      }
      var have = Array.prototype.map.call(list.querySelectorAll("li[data-id]"), function (li) {
        return li.dataset.id;
      }).join(",");
      if (have === files.map(function (f) { return String(f.id); }).join(",")) {
        return;
      }
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      if (!files.length) {
        list.appendChild(el("li", "muted none", "Geen foto's of documenten ontvangen."));
      }
      files.forEach(function (f) {
        var li = el("li");
        li.dataset.id = String(f.id);
        if (f.image) {
          var a = el("a");
          a.href = f.url;
          a.target = "_blank";
          a.rel = "noopener";
          var img = el("img", "thumb");
          img.src = f.url;
          img.alt = f.type + " van " + f.when;
          a.appendChild(img);
          li.appendChild(a);
        }
        var link = el("a", "", f.type);
        link.href = f.url;
        if (f.image) {
          link.target = "_blank";
          link.rel = "noopener";
        }
        li.appendChild(link);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "muted", f.size + " · " + f.when));
        list.appendChild(li);
      });
    }
  }

  // ---- the queue page ----

  function queuePage(table) {
    var supervisor = table.dataset.supervisor === "true";
    return {
      wants: function () {
        return true; // any chat may enter, leave or change in the queue
      },
      refresh: function () {
        // The page's own query keeps the collector's filter.
        return getJSON("/console/queue.json" + location.search).then(function (data) {
          if (!data) {
            return false;
          }
          fill(table, document.getElementById("empty"), data.rows || [], queueCells);
          if (supervisor) {
            fill(document.getElementById("lapsed"), document.getElementById("lapsed-empty"), data.lapsed || [], lapsedCells);
          }
          return true;
        });
      }
    };

    // fill brings the table's rows to what rows says, and shows the table
    // or its "none" line. A row that reads the same is left alone (not
    // rebuilt), so a button the reader is about to press stays where it is.
    function fill(tbl, none, rows, cells) {
      if (!tbl) {
        return;
      }
      var body = tbl.tBodies[0];
      var prefix = cells === lapsedCells ? "lapsed-" : "handoff-";
      var cursor = body.firstElementChild;
      rows.forEach(function (r) {
        var fresh = el("tr", r.status);
        fresh.id = prefix + r.id;
        cells(r).forEach(function (cell) {
          fresh.appendChild(cell);
        });
        var tr = document.getElementById(fresh.id);
        if (!tr || tr.parentNode !== body || !same(tr, fresh)) {
          if (tr && tr.parentNode === body) {
            if (tr === cursor) {
              cursor = tr.nextElementSibling;
            }
            body.removeChild(tr);
          }
          tr = fresh;
        }
        if (tr === cursor) {
          cursor = cursor.nextElementSibling;
        } else {
          body.insertBefore(tr, cursor);
        }
      });
      while (cursor) {
        var next = cursor.nextElementSibling;
        body.removeChild(cursor);
        cursor = next;
      }
      tbl.hidden = rows.length === 0;
      if (none) {
        none.hidden = rows.length !== 0;
      }
    }

    // same: two rows read alike and offer the same actions.
    function same(a, b) {
      var squeeze = function (tr) {
        var forms = Array.prototype.map.call(tr.querySelectorAll("form, a"), function (x) {
          return x.getAttribute("action") || x.getAttribute("href");
        });
        return tr.className + "|" + tr.textContent.replace(/\s+/g, "") + "|" + forms.join(",");
      };
      return squeeze(a) === squeeze(b);
    }

    function td(text, cls) {
      return el("td", cls, text);
    }

    function channelCell(r) {
      var c = td(r.channel);
      c.appendChild(el("br"));
      c.appendChild(el("span", "muted", r.who));
      return c;
    }

    function caseCell(r) {
      return r.case_ref ? td(r.case_ref) : (function () {
        var c = td();
        c.appendChild(el("span", "muted", "onbekend"));
        return c;
      })();
    }

    function queueCells(r) {
      var reason = td(r.reason);
      if (r.expired) {
        reason.appendChild(document.createTextNode(" "));
        reason.appendChild(el("span", "warn", r.expired));
      }
      if (r.lapse) {
        reason.appendChild(el("br"));
        reason.appendChild(el("span", "muted lapse", r.lapse));
      }
      return [td(r.priority_text), channelCell(r), caseCell(r), td(r.creditor), reason, td(r.waited),
        td(r.holder, "holder"), actions(r)];
    }

    function lapsedCells(r) {
      var lapse = td();
      lapse.appendChild(el("span", "warn", r.expired));
      lapse.appendChild(el("br"));
      lapse.appendChild(el("span", "muted lapse", r.lapse));
      return [channelCell(r), caseCell(r), td(r.reason), lapse, td(r.holder, "holder"), actions(r)];
    }

    // actions are the row's links and forms, as the server renders them:
    // the forms are copies of the page's templates (with its CSRF token).
    function actions(r) {
      var c = td(null, "actions");
      var chat = "/console/handoffs/" + r.id;
      if (r.mine) {
        var open = el("a", "button", "Openen");
        open.href = chat;
        c.appendChild(open);
      } else if (!r.held) {
        c.appendChild(form("tpl-claim", chat + "/claim"));
      } else {
        var look = el("a", "", "Bekijken");
        look.href = chat;
        c.appendChild(look);
      }
      if (supervisor) {
        if (r.held) {
          c.appendChild(form("tpl-release", chat + "/release"));
        }
        c.appendChild(form("tpl-assign", chat + "/assign"));
      }
      return c;
    }

    function form(template, action) {
      var t = document.getElementById(template);
      var f = t.content.querySelector("form").cloneNode(true);
      f.setAttribute("action", action);
      return f;
    }
  }
})();
