/* Writing with no signal: the records kept on the phone, and "Menunggu sinyal".
 *
 * The service worker keeps a form sent with no signal in IndexedDB
 * ("pendamping" / "outbox"), under the form's own UUID and the mark of the
 * person signed in (see learning/templates/learning/offline/sw.js). This
 * script shows them on "Menunggu sinyal" and sends them with outbox-send.js
 * (oldest first, through the JSON API, which runs the same rules as the
 * forms). On a stored copy of a form it gives each new record its own UUID,
 * refills a record to be corrected ("?ulang=UUID"), and runs the narrative
 * check before a record is kept.
 */
(function () {
  "use strict";
  // The store itself is opened by learning's offline.js (loaded on every page).
  var offline = window.PendampingOffline;
  if (!window.indexedDB || !window.caches || !offline) return;

  var STATE_KEY = "/__pendamping/state";
  var send = window.PendampingSend;
  if (!send) return;

  function ownerNow() {
    return caches.open("pendamping-state")
      .then(function (store) { return store.match(STATE_KEY); })
      .then(function (found) { return found ? found.json() : { owner: "" }; })
      .then(function (state) { return state.owner || ""; });
  }

  var one = send.field; // a kept form's first value for a name

  // A form opened with signal: get the phone's key now, for sending later.
  if (document.querySelector("[data-offline-form]") && document.body.hasAttribute("data-offline-owner") && navigator.onLine) {
    ownerNow().then(send.syncKey);
  }

  // --- A stored copy of a form: a UUID of its own, or the record to correct.
  var form = document.querySelector("[data-offline-form]");
  var again = new URLSearchParams(window.location.search).get("ulang");
  if (form) {
    var uuidField = form.querySelector("input[name=uuid]");
    if (again) {
      ownerNow().then(send.recordsOf).then(function (records) {
        var record = records.filter(function (each) { return each.uuid === again; })[0];
        if (!record) return;
        // Corrected: it waits again (sent by the form now, or kept if no
        // signal). Marked before the page goes, so the mark is not lost.
        var marked = false;
        form.addEventListener("submit", function (event) {
          if (event.defaultPrevented || marked) return;
          event.preventDefault();
          record.state = "menunggu";
          record.message = "";
          send.save(record).then(function () {
            marked = true;
            form.requestSubmit(event.submitter || undefined);
          });
        });
        Object.keys(record.fields).forEach(function (name) {
          var values = record.fields[name];
          form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
            if (input.type === "checkbox" || input.type === "radio") {
              input.checked = values.indexOf(input.value) >= 0 || (input.type === "checkbox" && values.indexOf("on") >= 0 && input.value === "on");
            } else if (input.tagName !== "BUTTON" && (input.type !== "hidden" || name === "uuid")) {
              // Other hidden fields say what the page showed: left as they are.
              input.value = values[0];
            }
          });
        });
        form.setAttribute("data-refilled", "");
      });
    } else if (uuidField && !document.body.hasAttribute("data-offline-owner") && window.crypto && crypto.randomUUID) {
      uuidField.value = crypto.randomUUID();
    }
  }

  // Kept with no signal, back on its own form (a wellbeing check-in): say so,
  // and when its answers signal risk, show at once who to call.
  var kept = new URLSearchParams(window.location.search).get("disimpan");
  var keptNote = document.querySelector("[data-offline-kept]");
  if (form && kept && keptNote) {
    keptNote.hidden = false;
    ownerNow().then(send.recordsOf).then(function (records) {
      var record = records.filter(function (each) { return each.uuid === kept; })[0];
      var risky = document.getElementById("risky-answers");
      var help = document.querySelector("[data-offline-risk]");
      if (!record || !risky || !help) return;
      var answers = JSON.parse(risky.textContent);
      var signals = Object.keys(answers).some(function (name) {
        return answers[name].indexOf(one(record.fields, name)) >= 0;
      });
      if (!signals) return;
      help.hidden = false;
      help.focus();
      help.scrollIntoView();
    });
  }

  // The narrative check before a record is kept: most mistakes caught in the
  // village, with the server's own words. The server checks again on arrival.
  var errorsBox = document.querySelector("[data-narrative-errors]");
  if (form && errorsBox) {
    form.addEventListener("submit", function (event) {
      var checker = window.PendampingNarrative;
      if (!checker || !checker.supported) return;
      var found = [];
      // Every written answer (an hour's activity, a case's story, a note).
      form.querySelectorAll("textarea").forEach(function (field) {
        if (!field.value) return;
        checker.problems(field.value).forEach(function (problem) {
          found.push(problem.message);
          field.setAttribute("aria-invalid", "true");
        });
      });
      if (!found.length) return;
      event.preventDefault();
      errorsBox.textContent = "";
      var heading = document.createElement("p");
      heading.textContent = errorsBox.getAttribute("data-heading");
      errorsBox.appendChild(heading);
      found.filter(function (message, index) { return found.indexOf(message) === index; })
        .forEach(function (message) {
          var line = document.createElement("p");
          line.textContent = message;
          errorsBox.appendChild(line);
        });
      errorsBox.hidden = false;
      errorsBox.scrollIntoView();
    }, true);
  }

  // --- Menunggu sinyal ----------------------------------------------------------
  var box = document.querySelector("[data-outbox]");
  if (!box) return;
  var words = JSON.parse(document.getElementById("outbox-text").textContent);
  var list = box.querySelector("[data-outbox-items]");
  var status = box.querySelector("[data-outbox-status]");
  var query = new URLSearchParams(window.location.search);
  box.querySelector("[data-outbox-nojs]").hidden = true;
  if (query.get("disimpan")) box.querySelector("[data-outbox-kept]").hidden = false;

  function describe(record) {
    var f = record.fields;
    var when = record.kind === "jam" ? one(f, "date") + " " + one(f, "start_time") + (one(f, "end_time") ? "–" + one(f, "end_time") : "")
      : record.kind === "kasus" ? one(f, "month") + "/" + one(f, "year")
      : record.kind === "hadir_pelatihan" || record.kind === "hadir_refleksi" ? (f.hadir || []).length + " " + words.present
      : new Date(record.keptAt).toLocaleDateString(document.documentElement.lang || "id");
    return (words[record.kind] || record.kind) + " · " + when.trim();
  }

  // A record that arrived is kept a day, to be seen, then leaves the phone.
  var KEEP_SENT_MS = 24 * 60 * 60 * 1000;

  function forgetSent(records) {
    var old = records.filter(function (record) {
      return record.state === "terkirim" && Date.now() - Date.parse(record.sentAt) > KEEP_SENT_MS;
    });
    if (!old.length) return Promise.resolve(records);
    return send.forget(old.map(function (record) { return record.uuid; })).then(function () {
      return records.filter(function (record) { return old.indexOf(record) < 0; });
    });
  }

  function render() {
    return ownerNow().then(send.recordsOf).then(forgetSent).then(function (records) {
      list.textContent = "";
      box.querySelector("[data-outbox-empty]").hidden = records.length > 0;
      records.forEach(function (record) {
        var row = document.createElement("li");
        row.className = "outbox__item outbox__item--" + record.state;
        row.setAttribute("data-outbox-record", record.uuid);
        var title = document.createElement("strong");
        title.textContent = describe(record);
        var state = document.createElement("span");
        state.className = "tag";
        state.textContent = words[record.state] || record.state;
        row.append(title, " ", state);
        if (record.message) {
          var message = document.createElement("p");
          message.className = "outbox__message";
          message.textContent = record.message;
          row.appendChild(message);
        }
        if (record.state === "perlu_diperbaiki" && record.form) {
          var fix = document.createElement("a");
          fix.href = record.form + "?ulang=" + encodeURIComponent(record.uuid);
          fix.textContent = words.fix;
          row.appendChild(fix);
        }
        list.appendChild(row);
      });
      return records;
    });
  }

  var signIn = box.querySelector("[data-outbox-sign-in]");

  function sendAll() {
    status.textContent = words.sending;
    signIn.hidden = true;
    return ownerNow().then(function (owner) {
      return send.syncKey(owner).then(function () { return send.sendWaiting(owner); });
    }).then(function () {
      status.textContent = words.done;
    }).catch(function (error) {
      var expired = error && error.message === send.SIGN_IN;
      status.textContent = expired ? words.sign_in : words.no_signal;
      // The session ended while offline: sign in again, then this page sends.
      signIn.hidden = !expired;
    }).then(render);
  }

  box.querySelector("[data-outbox-send]").addEventListener("click", sendAll);
  // The worker sent some in the background: show it.
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-sent") render();
    });
  }
  render().then(function (records) {
    // Back from signing in again: send what waited, as asked.
    if (query.get("kirim") === "1" && document.body.hasAttribute("data-offline-owner")) sendAll();
    else if (document.body.hasAttribute("data-offline-owner") && navigator.onLine) ownerNow().then(send.syncKey);
  });
})();
