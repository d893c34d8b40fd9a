{% autoescape off %}/* Pendamping's service worker: reading with no signal.
 *
 * Pages are fetched from the network first. When there is no network, a page
 * the person saved with "Simpan untuk dibaca offline" is served from its
 * module's store, and any other page gets the offline page. Stores belong to
 * the person who saved them (an opaque mark, never a name): after sign-out,
 * quick exit or another person's sign-in, none of them is served until that
 * person signs in again. The stored copies themselves hold nothing private.
 */
"use strict";

const VERSION = "{{ version }}";
const SHELL = {{ shell_json }};
const OFFLINE_URL = "{{ offline_url|escapejs }}";
const OWNER_HEADER = "{{ owner_header|escapejs }}";
const QUICK_EXIT_URL = "{{ quick_exit_url|escapejs }}";
const QUICK_EXIT_TARGET = "{{ quick_exit_target|escapejs }}";
const SIGN_OUT_URL = "{{ sign_out_url|escapejs }}";
const SIGN_IN_URL = "{{ sign_in_url|escapejs }}";
const SHELL_CACHE = "pendamping-shell-" + VERSION;
const STATE_CACHE = "pendamping-state";
const STATE_KEY = "/__pendamping/state";
const MODULE_PREFIX = "pendamping-modul-";
// Forms that can be written offline (path -> kind; [pattern, kind] for a form
// per object), the kinds that answer on their own form once kept, the pages
// kept with them, the sections they live in, and the outbox page.
const FORMS = {{ forms_json }};
const PATTERNS = {{ patterns_json }}.map(([pattern, kind]) => [new RegExp(pattern), kind]);
const BACK_TO_FORM = {{ back_json }};
const PAGES = {{ pages_json }};
const SECTIONS = {{ sections_json }};
const OUTBOX_URL = "{{ outbox_url|escapejs }}";
const SYNC_TAG = "pendamping-kirim";
const FORMS_PREFIX = "pendamping-formulir-";
const FORMS_EVERY_MS = 6 * 60 * 60 * 1000;

async function readState() {
  const store = await caches.open(STATE_CACHE);
  const stored = await store.match(STATE_KEY);
  return stored ? stored.json() : { owner: "", pendingSignOut: false };
}

async function writeState(state) {
  const store = await caches.open(STATE_CACHE);
  await store.put(
    STATE_KEY,
    new Response(JSON.stringify(state), { headers: { "Content-Type": "application/json" } })
  );
}

// A whole answer or none. A connection lost mid-answer can end a body early,
// even empty, without an error; kept, that copy would break the page offline.
async function whole(response) {
  if (!response.ok) return null;
  const body = await response.arrayBuffer();
  const declared = response.headers.get("Content-Length");
  const encoded = response.headers.get("Content-Encoding");
  if (!body.byteLength) return null;
  if (declared !== null && !encoded && Number(declared) !== body.byteLength) return null;
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function lock(pendingSignOut) {
  const state = await readState();
  await writeState({ owner: "", pendingSignOut: pendingSignOut || state.pendingSignOut });
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      // From the browser's own cache where it can: no second download.
      await Promise.all(
        SHELL.concat([OFFLINE_URL]).map(async (url) => {
          const response = await whole(
            await fetch(url, { cache: url === OFFLINE_URL ? "no-store" : "force-cache" })
          );
          if (response) await shell.put(url, response);
        })
      );
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("pendamping-shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "lock") event.waitUntil(lock(Boolean(data.offline)));
});

async function storedCopy(owner, url) {
  if (!owner) return null;
  const prefix = MODULE_PREFIX + owner + "-";
  for (const name of await caches.keys()) {
    if (!name.startsWith(prefix) && name !== FORMS_PREFIX + owner) continue;
    const store = await caches.open(name);
    // A form's copy answers its address with any query ("?ulang=…", "?disimpan=1").
    const copy = await store.match(url, { ignoreSearch: name.startsWith(FORMS_PREFIX) });
    if (copy) return { copy, store };
  }
  return null;
}

async function withNote(found) {
  const meta = await found.store.match("/__pendamping/meta");
  const info = meta ? await meta.json() : {};
  let html = await found.copy.text();
  html = html.replace("data-offline-note hidden", "data-offline-note");
  if (info.stale) html = html.replace("data-stale-note hidden", "data-stale-note");
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function offlinePage() {
  const shell = await caches.open(SHELL_CACHE);
  return (await shell.match(OFFLINE_URL)) || new Response("Offline", { status: 503 });
}

async function finishPendingSignOut(state) {
  if (!state.pendingSignOut) return state;
  try {
    await fetch(QUICK_EXIT_URL, { redirect: "manual", credentials: "same-origin" });
  } catch (error) {
    return state;
  }
  const next = { owner: "", pendingSignOut: false };
  await writeState(next);
  return next;
}

function formKind(path) {
  if (FORMS[path]) return FORMS[path];
  const found = PATTERNS.find(([pattern]) => pattern.test(path));
  return found ? found[1] : "";
}

// The person's offline forms and the pages kept with them, copied for nobody
// (no account bar), refreshed every few hours while there is signal, or at
// once when one of those pages is opened.
let keeping = null;

function keepForms(owner, state, now) {
  // One run at a time: two pages opened together fetch the copies once.
  if (!keeping) keeping = keepFormsNow(owner, state, now).finally(() => { keeping = null; });
  return keeping;
}

async function keepCopy(store, url, seen) {
  if (seen.has(url)) return;
  seen.add(url);
  const path = new URL(url, self.location.origin).pathname;
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok || new URL(response.url).pathname !== path) return;
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) {
    const kept = await whole(response);
    if (kept) await store.put(url, kept);
    return;
  }
  const html = await response.text();
  // A connection lost mid-page gives a short body: keep only a whole page.
  if (!html.trimEnd().endsWith("</html>")) return;
  await store.put(url, new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
  // The scripts the copy runs (the outbox's, say), and what else it names
  // for use offline (data-offline-keep="/…": a session's form, a word list).
  const needs = [...html.matchAll(/<script[^>]+src="(\/static\/[^"]+)"/g)]
    .concat([...html.matchAll(/data-offline-keep="(\/[^"]+)"/g)]);
  for (const [, src] of needs) {
    await keepCopy(store, src.replace(/&amp;/g, "&"), seen);
  }
}

async function keepFormsNow(owner, state, now) {
  const paths = Object.keys(FORMS).concat(PAGES);
  if (!owner || !paths.length) return;
  const fresh = state.formsOwner === owner && Date.now() - (state.formsAt || 0) < FORMS_EVERY_MS;
  if (fresh && !now) return;
  const store = await caches.open(FORMS_PREFIX + owner);
  const seen = new Set();
  for (const path of paths) {
    try {
      await keepCopy(store, path + "?salinan=offline", seen);
    } catch (error) {
      // Next time there is signal.
    }
  }
  const latest = await readState();
  await writeState(Object.assign({}, latest, { formsOwner: owner, formsAt: Date.now() }));
}

async function navigate(event) {
  const request = event.request;
  const state = await finishPendingSignOut(await readState());
  try {
    const response = await fetch(request);
    const mark = response.headers.get(OWNER_HEADER);
    if (mark !== null && !state.pendingSignOut && mark !== state.owner) {
      await writeState(Object.assign({}, state, { owner: mark, pendingSignOut: false }));
    }
    // Only where they are used (home, and their section of the site).
    const path = new URL(request.url).pathname;
    const section = path === "/" ? "/" : "/" + path.split("/")[1] + "/";
    if (mark && response.ok && SECTIONS.includes(section)) {
      event.waitUntil(keepForms(mark, await readState(), PAGES.includes(path)));
    }
    return response;
  } catch (error) {
    const found = await storedCopy(state.owner, request.url);
    return found ? withNote(found) : offlinePage();
  }
}

// --- Writing with no signal: the outbox (IndexedDB "pendamping", "outbox") ---

// The same schema as learning/static/learning/js/offline.js: the records, and
// each person's sync key for this phone ("keys", by owner).
function openOutbox() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("pendamping", 2);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains("outbox")) {
        db.createObjectStore("outbox", { keyPath: "uuid" }).createIndex("owner", "owner");
      }
      if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys", { keyPath: "owner" });
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function keep(record) {
  const db = await openOutbox();
  await new Promise((resolve, reject) => {
    const writing = db.transaction("outbox", "readwrite");
    writing.objectStore("outbox").put(record);
    writing.oncomplete = resolve;
    writing.onerror = () => reject(writing.error);
  });
  db.close();
}

// A form sent with no signal is kept on the phone, under its own UUID (a second
// tap keeps one copy), for the person signed in; the outbox page sends it later.
async function sendOrKeep(request, kind) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const state = await readState();
    if (!state.owner) return Response.redirect(OFFLINE_URL + "?keluar=1", 303);
    const form = await copy.formData();
    const fields = {};
    for (const [name, value] of form.entries()) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") continue;
      (fields[name] = fields[name] || []).push(value);
    }
    const uuid = (fields.uuid || [])[0] || self.crypto.randomUUID();
    const path = new URL(request.url).pathname;
    await keep({
      uuid, owner: state.owner, kind, form: path,
      fields, keptAt: new Date().toISOString(), state: "menunggu", message: ""
    });
    // Sent by itself when the signal returns, where the browser allows it.
    if (self.registration.sync) {
      try {
        await self.registration.sync.register(SYNC_TAG);
      } catch (refused) {
        // No background sync here: "Kirim sekarang" sends it.
      }
    }
    const back = BACK_TO_FORM.includes(kind) ? path : OUTBOX_URL;
    return Response.redirect(back + "?disimpan=" + encodeURIComponent(uuid), 303);
  }
}

// Background sync: what waits for the person signed in on this phone, sent
// with the phone's key by the apps' sender scripts (never without the key:
// the worker has no session). No signal: the browser tries again later.
const SENDERS = {{ senders_json }};
if (SENDERS.length) importScripts(...SENDERS);

async function sendInBackground() {
  const state = await readState();
  if (!state.owner || state.pendingSignOut || !self.PendampingSend) return;
  try {
    await self.PendampingSend.sendWaiting(state.owner, { background: true });
  } catch (error) {
    if (error && error.message === self.PendampingSend.SIGN_IN) return;
    throw error;
  } finally {
    const open = await self.clients.matchAll({ type: "window" });
    open.forEach((client) => client.postMessage({ type: "outbox-sent" }));
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendInBackground());
});

async function signOut(request) {
  await lock(false);
  try {
    return await fetch(request);
  } catch (error) {
    // Signed out on this phone now; the server hears of it with the next signal.
    await lock(true);
    return Response.redirect(OFFLINE_URL + "?keluar=1", 303);
  }
}

async function quickExit(request) {
  await lock(false);
  try {
    return await fetch(request, { redirect: "manual" });
  } catch (error) {
    await lock(true);
    return Response.redirect(QUICK_EXIT_TARGET, 302);
  }
}

async function asset(request) {
  const shell = await caches.open(SHELL_CACHE);
  const kept = await shell.match(request);
  if (kept) {
    // Served at once; refreshed for next time when there is signal.
    fetch(request)
      .then(whole)
      .then((fresh) => (fresh ? shell.put(request, fresh) : null))
      .catch(() => null);
    return kept;
  }
  try {
    return await fetch(request);
  } catch (error) {
    const state = await readState();
    const found = await storedCopy(state.owner, request.url);
    if (found) return found.copy;
    return new Response("", { status: 503 });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === QUICK_EXIT_URL) {
    event.respondWith(quickExit(request));
  } else if (request.method === "POST" && url.pathname === SIGN_OUT_URL) {
    event.respondWith(signOut(request));
  } else if (request.method === "POST" && formKind(url.pathname)) {
    event.respondWith(sendOrKeep(request, formKind(url.pathname)));
  } else if (request.method === "POST" && url.pathname === SIGN_IN_URL) {
    // Signing in on purpose, with signal: nothing left to finish.
    event.waitUntil(readState().then((state) => writeState({ owner: state.owner, pendingSignOut: false })));
  } else if (request.method !== "GET" || url.pathname.startsWith("/admin/") || url.pathname.startsWith("/api/")) {
    return;
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else {
    event.respondWith(asset(request));
  }
});
{% endautoescape %}
