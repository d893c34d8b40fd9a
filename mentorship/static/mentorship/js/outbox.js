/* Writing with no signal: hour entries and practice cases kept on the phone.
 *
 * The service worker keeps a form sent with no signal in IndexedDB
 * ("pendamping" / "outbox"), under the form's own UUID and the mark of the
 * person signed in (see learning/templates/learning/offline/sw.js). This
 * script shows them on "Menunggu sinyal" and sends them, oldest first, to the
 * JSON API, which runs the same rules as the forms; a re-send with the same
 * UUID creates nothing twice. On a stored copy of a form it gives each new
 * record its own UUID, and refills a record to be corrected ("?ulang=UUID").
 */
(function () {
  "use strict";
  // The store itself is opened by learning's offline.js (loaded on every page).
  var offline = window.PendampingOffline;
  if (!window.indexedDB || !window.caches || !offline) return;

  var STATE_KEY = "/__pendamping/state";
  var openDb = offline.openOutbox;

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("outbox", mode);
        var result = work(tx.objectStore("outbox"));
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function ownerNow() {
    return caches.open("pendamping-state")
      .then(function (store) { return store.match(STATE_KEY); })
      .then(function (found) { return found ? found.json() : { owner: "" }; })
      .then(function (state) { return state.owner || ""; });
  }

  function recordsOf(owner) {
    return withStore("readonly", function (store) { return store.index("owner").getAll(owner); })
      .then(function (records) {
        return records.sort(function (a, b) { return a.keptAt < b.keptAt ? -1 : 1; });
      });
  }

  function save(record) {
    return withStore("readwrite", function (store) { store.put(record); });
  }

  function one(fields, name) { return (fields[name] || [""])[0]; }
  function orNull(value) { return value === "" ? null : value; }
  function number(value) { return value === "" ? null : Number(value); }

  // What each kind sends to its API route: the form's fields, as the API names them.
  var PAYLOADS = {
    jam: function (f) {
      return {
        uuid: one(f, "uuid"), placement_id: number(one(f, "placement")), date: one(f, "date"),
        start_time: orNull(one(f, "start_time")), end_time: orNull(one(f, "end_time")),
        past_midnight: one(f, "past_midnight") === "on", minutes: number(one(f, "minutes")),
        category: one(f, "category"), activity: one(f, "activity"), submit: one(f, "aksi") === "ajukan"
      };
    },
    kasus: function (f) {
      var disability = one(f, "victim_disability");
      return {
        uuid: one(f, "uuid"), placement_id: number(one(f, "placement")),
        violence_types: f.violence_types || [], victim_sex: one(f, "victim_sex"),
        victim_age_group: one(f, "victim_age_group"),
        victim_disability: disability === "ya" ? true : disability === "tidak" ? false : null,
        perpetrator_relation: one(f, "perpetrator_relation"), perpetrator_age: one(f, "perpetrator_age"),
        incident_place: one(f, "incident_place"), month: number(one(f, "month")), year: number(one(f, "year")),
        kecamatan: one(f, "kecamatan"), services: f.services || [], path: one(f, "path"),
        trainee_role: one(f, "trainee_role"), actions: one(f, "actions"), learned: one(f, "learned"),
        went_well: one(f, "went_well"), was_hard: one(f, "was_hard"), submit: one(f, "aksi") === "ajukan"
      };
    }
  };

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The server's own words: its detail and each field's messages.
  function refusal(body) {
    if (!body) return "";
    var lines = [];
    if (typeof body.detail === "string") lines.push(body.detail);
    if (Array.isArray(body.detail)) {
      body.detail.forEach(function (item) { lines.push(item.msg || JSON.stringify(item)); });
    }
    Object.keys(body.errors || {}).forEach(function (field) {
      (body.errors[field] || []).forEach(function (message) { lines.push(message); });
    });
    return lines.filter(function (line, index) { return lines.indexOf(line) === index; }).join(" ");
  }

  // --- A stored copy of a form: a UUID of its own, or the record to correct.
  var form = document.querySelector("[data-offline-form]");
  var again = new URLSearchParams(window.location.search).get("ulang");
  if (form) {
    var uuidField = form.querySelector("input[name=uuid]");
    if (again) {
      withStore("readonly", function (store) { return store.get(again); }).then(function (record) {
        if (!record) return;
        // Corrected: it waits again (sent by the form now, or kept if no signal).
        form.addEventListener("submit", function (event) {
          if (event.defaultPrevented) return;
          record.state = "menunggu";
          record.message = "";
          save(record);
        });
        Object.keys(record.fields).forEach(function (name) {
          var values = record.fields[name];
          form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
            if (input.type === "checkbox" || input.type === "radio") {
              input.checked = values.indexOf(input.value) >= 0 || (input.type === "checkbox" && values.indexOf("on") >= 0 && input.value === "on");
            } else if (input.tagName !== "BUTTON") {
              input.value = values[0];
            }
          });
        });
      });
    } else if (uuidField && !document.body.hasAttribute("data-offline-owner") && window.crypto && crypto.randomUUID) {
      uuidField.value = crypto.randomUUID();
    }
  }

  // The narrative check before a record is kept: most mistakes caught in the
  // village, with the server's own words. The server checks again on arrival.
  var NARRATIVE_FIELDS = ["activity", "trainee_role", "actions", "went_well", "was_hard", "learned"];
  var errorsBox = document.querySelector("[data-narrative-errors]");
  if (form && errorsBox) {
    form.addEventListener("submit", function (event) {
      var checker = window.PendampingNarrative;
      if (!checker || !checker.supported) return;
      var found = [];
      NARRATIVE_FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (!field || !field.value) return;
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
  box.querySelector("[data-outbox-nojs]").hidden = true;
  if (/[?&]disimpan=1/.test(window.location.search)) box.querySelector("[data-outbox-kept]").hidden = false;

  function describe(record) {
    var f = record.fields;
    var when = record.kind === "jam" ? one(f, "date") + " " + one(f, "start_time") + (one(f, "end_time") ? "–" + one(f, "end_time") : "")
      : one(f, "month") + "/" + one(f, "year");
    return (words[record.kind] || record.kind) + " · " + when.trim();
  }

  // A record that arrived is kept a day, to be seen, then leaves the phone.
  var KEEP_SENT_MS = 24 * 60 * 60 * 1000;

  function forgetSent(records) {
    var old = records.filter(function (record) {
      return record.state === "terkirim" && Date.now() - Date.parse(record.sentAt) > KEEP_SENT_MS;
    });
    if (!old.length) return Promise.resolve(records);
    return withStore("readwrite", function (store) {
      old.forEach(function (record) { store.delete(record.uuid); });
    }).then(function () {
      return records.filter(function (record) { return old.indexOf(record) < 0; });
    });
  }

  function render() {
    return ownerNow().then(recordsOf).then(forgetSent).then(function (records) {
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
        if (record.state === "perlu_diperbaiki") {
          var fix = document.createElement("a");
          fix.href = box.getAttribute("data-form-" + record.kind) + "?ulang=" + encodeURIComponent(record.uuid);
          fix.textContent = words.fix;
          row.appendChild(fix);
        }
        list.appendChild(row);
      });
      return records;
    });
  }

  // This phone's sync key (POST /api/perangkat/token): a stale CSRF cookie
  // cannot block a send, and signing out on the phone ends it.
  function deviceId() {
    var id = localStorage.getItem("pendamping-device");
    if (!id && window.crypto && crypto.randomUUID) {
      id = crypto.randomUUID();
      localStorage.setItem("pendamping-device", id);
    }
    return id || "";
  }

  function syncKey(owner) {
    var name = "pendamping-kunci-" + owner;
    var kept = localStorage.getItem(name);
    if (kept) return Promise.resolve(kept);
    return fetch(box.getAttribute("data-token"), {
      method: "POST", credentials: "same-origin", redirect: "error",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ device: deviceId() })
    }).then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (answer) {
        if (answer.token) localStorage.setItem(name, answer.token);
        return answer.token || "";
      }).catch(function () { return ""; });
  }

  function post(path, body, key) {
    var headers = { "Content-Type": "application/json" };
    if (key) headers.Authorization = "Bearer " + key;
    else headers["X-CSRFToken"] = csrfToken();
    return fetch(path, {
      method: "POST", credentials: "same-origin", redirect: "error",
      headers: headers, body: body
    });
  }

  function sendOne(record, owner, key) {
    var path = box.getAttribute("data-api-" + record.kind);
    var body = JSON.stringify(PAYLOADS[record.kind](record.fields));
    return post(path, body, key).then(function (response) {
      if (response.status === 401 && key) {
        // The key was ended (signed out, revoked): the session may still serve.
        localStorage.removeItem("pendamping-kunci-" + owner);
        return post(path, body, "");
      }
      return response;
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) throw new Error("sign_in");
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.ok) {
          record.state = "terkirim";
          record.message = "";
        } else {
          record.state = "perlu_diperbaiki";
          record.message = refusal(body) || String(response.status);
        }
        record.sentAt = new Date().toISOString();
        return save(record);
      });
    });
  }

  function sendAll() {
    status.textContent = words.sending;
    var owner = "";
    return ownerNow().then(function (found) {
      owner = found;
      return Promise.all([recordsOf(owner), syncKey(owner)]);
    }).then(function (both) {
      var records = both[0];
      var key = both[1];
      var waiting = records.filter(function (record) { return record.state === "menunggu"; });
      // One at a time, oldest first: a later record may depend on an earlier one.
      return waiting.reduce(function (chain, record) {
        return chain.then(function () { return sendOne(record, owner, key); });
      }, Promise.resolve());
    }).then(function () {
      status.textContent = words.done;
    }).catch(function (error) {
      status.textContent = error && error.message === "sign_in" ? words.sign_in : words.no_signal;
    }).then(render);
  }

  box.querySelector("[data-outbox-send]").addEventListener("click", sendAll);
  render();
  // With signal, fetch the key now, so a later send needs no fresh session token.
  ownerNow().then(function (owner) { if (owner && navigator.onLine) syncKey(owner); });
})();
