/* Sending what waits on the phone, oldest first, through the JSON API.
 *
 * Shared by the outbox page (outbox.js, "Kirim sekarang") and the service
 * worker (background sync, where the browser allows it). Each record was
 * kept by the worker in IndexedDB ("pendamping" / "outbox") under its own
 * UUID and the owner's mark; the API runs the same rules as the forms, and a
 * re-send with the same UUID creates nothing twice.
 *
 * The phone's sync key (POST /api/perangkat/token) is kept in the same
 * database ("keys", by owner): a stale CSRF cookie cannot block a send, the
 * worker can send with it, and signing out on the phone ends it.
 */
(function (scope) {
  "use strict";
  // The page gets the store from learning's offline.js; the worker has its own.
  var openDb = (scope.PendampingOffline && scope.PendampingOffline.openOutbox) || scope.openOutbox;
  if (!openDb || !scope.indexedDB) return;

  function inStore(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function recordsOf(owner) {
    return inStore("outbox", "readonly", function (store) { return store.index("owner").getAll(owner); })
      .then(function (records) {
        return (records || []).sort(function (a, b) { return a.keptAt < b.keptAt ? -1 : 1; });
      });
  }

  function save(record) {
    return inStore("outbox", "readwrite", function (store) { store.put(record); });
  }

  function forget(uuids) {
    return inStore("outbox", "readwrite", function (store) {
      uuids.forEach(function (uuid) { store.delete(uuid); });
    });
  }

  function keyOf(owner) {
    return inStore("keys", "readonly", function (store) { return store.get(owner); })
      .then(function (found) { return found ? found.key : ""; });
  }

  function keepKey(owner, key) {
    return inStore("keys", "readwrite", function (store) {
      if (key) store.put({ owner: owner, key: key });
      else store.delete(owner);
    });
  }

  // --- What each kind sends: the form's fields, as the API names them. ------
  function one(fields, name) { return (fields[name] || [""])[0]; }
  function orNull(value) { return value === "" ? null : value; }
  function number(value) { return value === "" ? null : Number(value); }
  function ids(values) { return (values || []).map(Number); }
  function idIn(record, pattern) {
    var found = pattern.exec(record.form || "");
    return found ? found.slice(1) : [];
  }
  function yes(fields, name) { return one(fields, name) === "ya"; }

  var PAYLOADS = {
    jam: function (f) {
      return { path: "/api/magang/entries", body: {
        uuid: one(f, "uuid"), placement_id: number(one(f, "placement")), date: one(f, "date"),
        start_time: orNull(one(f, "start_time")), end_time: orNull(one(f, "end_time")),
        past_midnight: one(f, "past_midnight") === "on", minutes: number(one(f, "minutes")),
        category: one(f, "category"), activity: one(f, "activity"), submit: one(f, "aksi") === "ajukan"
      } };
    },
    kasus: function (f) {
      var disability = one(f, "victim_disability");
      return { path: "/api/magang/cases", body: {
        uuid: one(f, "uuid"), placement_id: number(one(f, "placement")),
        violence_types: f.violence_types || [], victim_sex: one(f, "victim_sex"),
        victim_age_group: one(f, "victim_age_group"),
        victim_disability: disability === "ya" ? true : disability === "tidak" ? false : null,
        perpetrator_relation: one(f, "perpetrator_relation"), perpetrator_age: one(f, "perpetrator_age"),
        incident_place: one(f, "incident_place"), month: number(one(f, "month")), year: number(one(f, "year")),
        kecamatan: one(f, "kecamatan"), services: f.services || [], path: one(f, "path"),
        trainee_role: one(f, "trainee_role"), actions: one(f, "actions"), learned: one(f, "learned"),
        went_well: one(f, "went_well"), was_hard: one(f, "was_hard"), submit: one(f, "aksi") === "ajukan"
      } };
    },
    cek: function (f) {
      return { path: "/api/magang/wellbeing", body: {
        uuid: one(f, "uuid"), feeling: one(f, "feeling"), threatened: yes(f, "threatened"),
        wants_contact: yes(f, "wants_contact"), note: one(f, "note")
      } };
    },
    refleksi: function (f, record) {
      var counts = [];
      var obstacles = [];
      Object.keys(f).forEach(function (name) {
        var value = one(f, name);
        if (name.indexOf("n_") === 0 && value !== "" && Number(value) > 0) {
          var parts = name.slice(2).split("_");
          counts.push({ type: parts[0], path: parts.slice(1).join("_"), count: Number(value) });
        } else if (name.indexOf("kendala_") === 0 && value.trim()) {
          obstacles.push({ category: name.slice(8), text: value.trim() });
        }
      });
      return { path: "/api/magang/reflection/mine", body: {
        uuid: one(f, "uuid"), session_id: Number(idIn(record, /^\/refleksi\/(\d+)\//)[0]),
        case_counts: counts, partners: f.partners || [], obstacles: obstacles,
        support_needed: one(f, "support_needed"), learning_needs: one(f, "learning_needs")
      } };
    },
    // Attendance: who was ticked, and who the page showed ticked and was
    // unticked. Not a sync endpoint (it is about others): the session only.
    hadir_pelatihan: function (f, record) {
      var where = idIn(record, /^\/kehadiran\/pelatihan\/(\d+)\/(\d{4}-\d{2}-\d{2})\//);
      var present = ids(f.hadir);
      return { path: "/api/competence/events/" + where[0] + "/attendance", sessionOnly: true, body: {
        day: where[1], trainee_ids: present,
        absent_ids: ids(f.tadi).filter(function (id) { return present.indexOf(id) < 0; })
      } };
    },
    // Only what was changed, stamped with when it was kept: an old tick sent
    // late does not undo a later unticking (the later action wins).
    hadir_refleksi: function (f, record) {
      var present = ids(f.hadir);
      var shown = ids(f.tadi);
      return { path: "/api/magang/reflection/sessions/" + idIn(record, /^\/kehadiran\/refleksi\/(\d+)\//)[0] + "/attendance", sessionOnly: true, body: {
        person_ids: present.filter(function (id) { return shown.indexOf(id) < 0; }),
        absent_ids: shown.filter(function (id) { return present.indexOf(id) < 0; }),
        marked_at: record.keptAt || null
      } };
    }
  };

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

  function csrfToken() {
    if (typeof document === "undefined") return "";
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(path, body, key) {
    var headers = { "Content-Type": "application/json" };
    if (key) headers.Authorization = "Bearer " + key;
    else headers["X-CSRFToken"] = csrfToken();
    return fetch(path, {
      method: "POST", credentials: "same-origin", redirect: "error", headers: headers, body: body
    });
  }

  var SignIn = "sign_in";
  var TOKEN_URL = "/api/perangkat/token";

  // This phone, as the account page lists it ("Perangkat").
  function deviceId() {
    var id = localStorage.getItem("pendamping-device");
    if (!id && scope.crypto && crypto.randomUUID) {
      id = crypto.randomUUID();
      localStorage.setItem("pendamping-device", id);
    }
    return id || "";
  }

  // The page, with signal and a session: this phone's key for `owner`, asked
  // for once and kept, so a later send (or the worker) needs no session.
  function syncKey(owner) {
    return keyOf(owner).then(function (kept) {
      if (kept || !owner || typeof document === "undefined") return kept;
      return fetch(TOKEN_URL, {
        method: "POST", credentials: "same-origin", redirect: "error",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ device: deviceId() })
      }).then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (answer) {
          return answer.token ? keepKey(owner, answer.token).then(function () { return answer.token; }) : "";
        }).catch(function () { return ""; });
    });
  }

  // One record: sent and marked "terkirim", or marked "perlu_diperbaiki" with
  // the server's message. No answer at all (no signal) rejects: it waits on.
  function sendOne(record, owner, key, withSession) {
    var made = PAYLOADS[record.kind] && PAYLOADS[record.kind](record.fields, record);
    if (!made) return Promise.resolve();
    var body = JSON.stringify(made.body);
    if (made.sessionOnly) {
      // The worker has no session: this one waits for the page.
      if (!withSession) return Promise.resolve();
      key = "";
    }
    return post(made.path, body, key).then(function (response) {
      if (response.status === 401 && key) {
        // The key was ended (signed out, revoked): the session may still serve.
        return keepKey(owner, "").then(function () {
          if (!withSession) throw new Error(SignIn);
          return post(made.path, body, "");
        });
      }
      if (!key && !withSession) throw new Error(SignIn);
      return response;
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) throw new Error(SignIn);
      return response.json().catch(function () { return null; }).then(function (answer) {
        record.state = response.ok ? "terkirim" : "perlu_diperbaiki";
        record.message = response.ok ? "" : refusal(answer) || String(response.status);
        record.sentAt = new Date().toISOString();
        return save(record);
      });
    });
  }

  // Everything waiting for `owner`, one at a time, oldest first (a later
  // record may depend on an earlier one). The worker has no session to fall
  // back on (it cannot read the CSRF cookie): without a key it sends nothing.
  function sendWaiting(owner, options) {
    var withSession = !(options && options.background);
    return Promise.all([recordsOf(owner), keyOf(owner)]).then(function (both) {
      var waiting = both[0].filter(function (record) { return record.state === "menunggu"; });
      return waiting.reduce(function (chain, record) {
        return chain.then(function () { return sendOne(record, owner, both[1], withSession); });
      }, Promise.resolve()).then(function () { return waiting.length; });
    });
  }

  scope.PendampingSend = {
    recordsOf: recordsOf,
    save: save,
    forget: forget,
    keyOf: keyOf,
    keepKey: keepKey,
    syncKey: syncKey,
    field: one,
    sendWaiting: sendWaiting,
    csrfToken: csrfToken,
    SIGN_IN: SignIn
  };
})(self);
