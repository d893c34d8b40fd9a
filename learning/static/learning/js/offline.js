/* Reading with no signal: registers the service worker (/sw.js), saves a
 * module's offline package, lists and removes what this phone holds, and
 * refreshes stored modules when a newer version is published.
 *
 * Without this script, or on a plain-http address (no service worker there),
 * every page still works online; only the offline parts stay hidden.
 */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches || !window.isSecureContext) return;

  var body = document.body;
  var script = document.currentScript || document.querySelector("script[data-sw]");
  var STATE_KEY = "/__pendamping/state";
  var META_KEY = "/__pendamping/meta";
  var PREFIX = "pendamping-modul-";
  var CHECK_EVERY_MS = 30 * 60 * 1000;
  var liveOwner = body.getAttribute("data-offline-owner"); // null on stored copies

  navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: "/" });

  function text(name) {
    var node = document.getElementById("offline-text");
    var words = node ? JSON.parse(node.textContent) : {};
    return words[name] || "";
  }

  function sizeLabel(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
  }

  function dateLabel(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang || "id", {
      day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"
    });
  }

  function readJSON(store, key) {
    return store.match(key).then(function (found) { return found ? found.json() : null; });
  }

  function currentOwner() {
    if (liveOwner !== null) return Promise.resolve(liveOwner);
    return caches.open("pendamping-state")
      .then(function (store) { return readJSON(store, STATE_KEY); })
      .then(function (state) { return state ? state.owner : ""; });
  }

  function storeName(owner, moduleId) { return PREFIX + owner + "-" + moduleId; }

  // Every module this person stored: [{name, meta}].
  function storedModules(owner) {
    if (!owner) return Promise.resolve([]);
    return caches.keys().then(function (names) {
      var mine = names.filter(function (name) { return name.indexOf(PREFIX + owner + "-") === 0; });
      return Promise.all(mine.map(function (name) {
        return caches.open(name).then(function (store) { return readJSON(store, META_KEY); })
          .then(function (meta) { return { name: name, meta: meta || {} }; });
      }));
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Fetch every entry first; only a complete package replaces the stored one.
  function download(owner, pack) {
    return Promise.all(pack.entries.map(function (entry) {
      return fetch(entry.source, { credentials: "same-origin", redirect: "error" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.blob().then(function (blob) {
          return { key: entry.key, blob: blob, type: response.headers.get("Content-Type") || "" };
        });
      });
    })).then(function (files) {
      var name = storeName(owner, pack.module);
      return caches.delete(name).then(function () { return caches.open(name); }).then(function (store) {
        var meta = {
          module: pack.module, title: pack.title, url: pack.url, version: pack.version, packageUrl: pack.package,
          size: pack.size, savedAt: new Date().toISOString(), stale: false
        };
        return Promise.all(files.map(function (file) {
          return store.put(file.key, new Response(file.blob, { headers: { "Content-Type": file.type } }));
        })).then(function () {
          return store.put(META_KEY, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
        }).then(function () { return meta; });
      });
    });
  }

  function getPackage(url) {
    return fetch(url, { credentials: "same-origin", redirect: "error" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  // The module page: "Simpan untuk dibaca offline".
  function saveBox(box) {
    var status = box.querySelector("[data-offline-status]");
    var start = box.querySelector("[data-offline-start]");
    var confirmRow = box.querySelector("[data-offline-confirm]");
    var moduleId = box.getAttribute("data-module");
    var pack = null;
    box.hidden = false;

    function show(owner) {
      caches.has(storeName(owner, moduleId)).then(function (has) {
        if (!has) { start.hidden = false; return; }
        caches.open(storeName(owner, moduleId)).then(function (store) { return readJSON(store, META_KEY); })
          .then(function (meta) {
            status.textContent = text("stored").replace("%(size)s", sizeLabel(meta.size)).replace("%(date)s", dateLabel(meta.savedAt));
            start.hidden = true;
            box.querySelector("[data-offline-remove]").hidden = false;
          });
      });
    }

    currentOwner().then(function (owner) {
      if (!owner) { box.hidden = true; return; }
      show(owner);
      start.addEventListener("click", function () {
        start.disabled = true;
        status.textContent = text("checking");
        getPackage(box.getAttribute("data-package")).then(function (found) {
          pack = found;
          status.textContent = text("size").replace("%(size)s", sizeLabel(found.size));
          start.hidden = true;
          confirmRow.hidden = false;
        }).catch(function () {
          status.textContent = text("failed");
          start.disabled = false;
        });
      });
      box.querySelector("[data-offline-yes]").addEventListener("click", function () {
        confirmRow.hidden = true;
        status.textContent = text("saving");
        download(owner, pack).then(function () { show(owner); reportDevice(); })
          .catch(function () {
            status.textContent = text("failed");
            start.hidden = false;
            start.disabled = false;
          });
      });
      box.querySelector("[data-offline-no]").addEventListener("click", function () {
        confirmRow.hidden = true;
        start.hidden = false;
        start.disabled = false;
        status.textContent = "";
      });
      box.querySelector("[data-offline-remove]").addEventListener("click", function (event) {
        caches.delete(storeName(owner, moduleId)).then(function () {
          event.target.hidden = true;
          status.textContent = text("removed");
          start.hidden = false;
          start.disabled = false;
        });
      });
    });
  }

  // The offline page: what this phone holds for the person signed in.
  function storedList(box) {
    var list = box.querySelector("[data-offline-items]");
    var none = box.querySelector("[data-offline-none]");
    box.querySelector("[data-offline-nojs]").hidden = true;
    if (window.location.pathname !== box.getAttribute("data-page")) {
      box.querySelector("[data-offline-missing]").hidden = false;
    }
    if (/[?&]keluar=1/.test(window.location.search)) box.querySelector("[data-offline-signed-out]").hidden = false;

    function render(owner) {
      storedModules(owner).then(function (items) {
        list.textContent = "";
        if (!owner) box.querySelector("[data-offline-locked]").hidden = false;
        none.hidden = items.length > 0 || !owner;
        items.forEach(function (item) {
          var row = document.createElement("li");
          var link = document.createElement("a");
          link.href = item.meta.url;
          link.textContent = item.meta.title;
          var info = document.createElement("span");
          info.className = "muted";
          info.textContent = " · " + sizeLabel(item.meta.size || 0) + " · " + dateLabel(item.meta.savedAt);
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "button button--small";
          remove.textContent = text("remove");
          remove.addEventListener("click", function () {
            caches.delete(item.name).then(function () { render(owner); });
          });
          row.append(link, info, " ", remove);
          list.appendChild(row);
        });
      });
    }

    currentOwner().then(render);
    box.querySelector("[data-offline-clear]").addEventListener("click", function () {
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0; })
          .map(function (name) { return caches.delete(name); }));
      }).then(function () { return currentOwner(); }).then(render);
    });
  }

  // On a stored copy: when it was saved.
  function fillSavedAt() {
    var spot = document.querySelector("[data-saved-at]");
    if (!spot || liveOwner !== null) return;
    currentOwner().then(storedModules).then(function (items) {
      var here = items.filter(function (item) { return String(item.meta.module) === spot.getAttribute("data-saved-at"); })[0];
      if (here) spot.textContent = dateLabel(here.meta.savedAt);
    });
  }

  // This phone, as the person's account page lists it ("Perangkat").
  function deviceId() {
    var id = localStorage.getItem("pendamping-device");
    if (!id) {
      id = (crypto.randomUUID && crypto.randomUUID()) || "";
      if (id) localStorage.setItem("pendamping-device", id);
    }
    return id;
  }

  function reportDevice() {
    var url = script.getAttribute("data-device-report");
    if (!url || !liveOwner) return Promise.resolve(false);
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ device: deviceId() })
    }).then(function (response) { return response.ok ? response.json() : { revoked: false }; })
      .then(function (answer) {
        if (!answer.revoked) return false;
        // Revoked on the account page: this phone keeps nothing of theirs.
        localStorage.removeItem("pendamping-device");
        return storedModules(liveOwner).then(function (items) {
          return Promise.all(items.map(function (item) { return caches.delete(item.name); }));
        }).then(function () { return true; });
      }).catch(function () { return false; });
  }

  // With signal: drop what the person may no longer open, refresh what changed.
  function refresh() {
    if (!liveOwner || !navigator.onLine) return;
    var last = Number(localStorage.getItem("pendamping-offline-checked") || 0);
    if (Date.now() - last < CHECK_EVERY_MS) return;
    storedModules(liveOwner).then(function (items) {
      if (!items.length) return null;
      localStorage.setItem("pendamping-offline-checked", String(Date.now()));
      return reportDevice().then(function (revoked) {
        if (revoked) return null;
        var query = items.map(function (item) { return "modul=" + encodeURIComponent(item.meta.module); }).join("&");
        return fetch(script.getAttribute("data-versions") + "?" + query, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : {}; })
          .then(function (versions) {
            return Promise.all(items.map(function (item) {
              var now = versions[String(item.meta.module)];
              if (now === undefined || now === item.meta.version) return null;
              if (now === null) return caches.delete(item.name);
              return caches.open(item.name).then(function (store) {
                item.meta.stale = true;
                return store.put(META_KEY, new Response(JSON.stringify(item.meta)));
              }).then(function () {
                return getPackage(item.meta.packageUrl);
              }).then(function (pack) { return download(liveOwner, pack); }).catch(function () { return null; });
            }));
          });
      });
    }).catch(function () { return null; });
  }

  // What waits on the phone (records written with no signal): IndexedDB
  // "pendamping" / "outbox", keyed by UUID, indexed by owner, and each
  // person's sync key ("keys"). The service worker (sw.js) opens the same
  // database with the same schema.
  function openOutbox() {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open("pendamping", 2);
      opening.onupgradeneeded = function () {
        var db = opening.result;
        if (!db.objectStoreNames.contains("outbox")) {
          db.createObjectStore("outbox", { keyPath: "uuid" }).createIndex("owner", "owner");
        }
        if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys", { keyPath: "owner" });
      };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
  }
  window.PendampingOffline = { openOutbox: openOutbox };

  // Signing out with records still waiting: say so first, offer to send them.
  function unsentCount(owner) {
    // Signing out never waits on the phone's storage more than a second.
    var giveUp = new Promise(function (resolve) { setTimeout(function () { resolve(0); }, 1000); });
    return Promise.race([giveUp, countWaiting(owner)]);
  }

  function countWaiting(owner) {
    return openOutbox().then(function (db) {
      return new Promise(function (resolve) {
        var asking = db.transaction("outbox").objectStore("outbox").index("owner").getAll(owner);
        asking.onsuccess = function () {
          db.close();
          resolve(asking.result.filter(function (record) { return record.state !== "terkirim"; }).length);
        };
        asking.onerror = function () { db.close(); resolve(0); };
      });
    }).catch(function () { return 0; });
  }

  // Signing out ends this phone's sync key too (the server clears it).
  var deviceField = document.querySelector("[data-device-field]");
  if (deviceField) deviceField.value = localStorage.getItem("pendamping-device") || "";

  var signOut = document.querySelector("[data-sign-out]");
  if (signOut && window.indexedDB && liveOwner) {
    var confirmed = false;
    signOut.addEventListener("submit", function (event) {
      if (confirmed) return;
      event.preventDefault();
      unsentCount(liveOwner).then(function (count) {
        if (!count || !signOut.getAttribute("data-outbox-url")) {
          confirmed = true;
          signOut.requestSubmit ? signOut.requestSubmit() : signOut.submit();
          return;
        }
        var box = document.createElement("div");
        box.className = "notice sign-out-warning";
        box.setAttribute("role", "alert");
        var words = document.createElement("p");
        words.textContent = signOut.getAttribute("data-unsent").replace("%(count)s", count);
        var send = document.createElement("a");
        send.className = "button button--small";
        send.href = signOut.getAttribute("data-outbox-url");
        send.textContent = signOut.getAttribute("data-send-label");
        var leave = document.createElement("button");
        leave.type = "button";
        leave.className = "button button--small button--secondary";
        leave.textContent = signOut.getAttribute("data-leave-label");
        leave.addEventListener("click", function () {
          confirmed = true;
          signOut.submit();
        });
        box.append(words, send, " ", leave);
        signOut.parentNode.insertBefore(box, signOut.nextSibling);
      });
    });
  }

  var saver = document.querySelector("[data-offline-save]");
  if (saver) saveBox(saver);
  var stored = document.querySelector("[data-offline-stored]");
  if (stored) storedList(stored);
  fillSavedAt();
  refresh();
})();
