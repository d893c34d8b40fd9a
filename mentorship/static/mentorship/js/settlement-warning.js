/* The UU 12/2022 pasal 23 warning on the practice-case form, live: beside
 * the path choice, as the violence types, the perpetrator's age, the path
 * and the narrative change.
 *
 * The conditions and the words are the server's (mentorship/cases.py:
 * `settlement_rule`), rendered into the page as #settlement-rule, so this
 * script holds no rule of its own and no sentence to translate. Should it
 * fail to load, nothing is lost: the server shows the same warning after
 * saving. The form's sections are <details>: a section is opened when a
 * field inside it is marked invalid (the offline narrative check) or a link
 * points into it (an error summary).
 */
(function () {
  "use strict";
  var config = document.getElementById("settlement-rule");
  var slot = document.querySelector("[data-settlement-warning]");
  if (!config || !slot) return;
  var form = slot.closest("form");
  if (!form) return;
  var rule;
  try {
    rule = JSON.parse(config.textContent);
  } catch (error) {
    return;
  }

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Whole words, any case, as Python's \b with Unicode letters.
  var alternatives = rule.settleWords
    .slice()
    .sort(function (a, b) { return b.length - a.length; })
    .map(function (word) { return word.split(/\s+/).map(escape).join("\\s+"); })
    .join("|");
  var settles;
  try {
    settles = new RegExp(
      "(?<![\\p{L}\\p{N}_])(?:" + alternatives + ")(?![\\p{L}\\p{N}_])", "iu"
    );
  } catch (error) {
    settles = new RegExp("\\b(?:" + alternatives + ")\\b", "i");
  }

  function has(list, value) {
    return list.indexOf(value) !== -1;
  }

  function value(name) {
    var field = form.elements.namedItem(name);
    return field && "value" in field ? field.value : "";
  }

  function warning() {
    var sexual = Array.prototype.some.call(
      form.querySelectorAll("input[name=violence_types]:checked"),
      function (box) { return has(rule.sexual, box.value); }
    );
    if (!sexual) return "";
    var age = value("perpetrator_age");
    var path = value("path");
    if (has(rule.adult, age) && has(rule.settling, path)) return rule.definite;
    if (!has(rule.unsureAges, age)) return "";
    if (has(rule.unsurePaths, path)) return rule.question;
    var narrative = rule.textFields.map(value).join("\n");
    return settles.test(narrative) ? rule.question : "";
  }

  var shown = null;

  function update() {
    var text = warning();
    if (text === shown) return;
    shown = text;
    slot.textContent = "";
    if (!text) return;
    var card = document.createElement("div");
    card.className = "card notice case-warning";
    var line = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = text;
    line.appendChild(strong);
    card.appendChild(line);
    slot.appendChild(card);
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  // The server drew the warning for what was sent; the first change redraws.
  var drawn = slot.querySelector(".case-warning strong");
  shown = drawn ? drawn.textContent.trim() : "";
  if (shown !== warning()) update();

  // Open a closed section when something inside it needs the person.
  function open(element) {
    var section = element && element.closest("details");
    if (section && !section.open) section.open = true;
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.target.getAttribute("aria-invalid") === "true") {
        open(change.target);
      }
    });
  }).observe(form, { attributes: true, attributeFilter: ["aria-invalid"], subtree: true });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (target && form.contains(target)) open(target);
  });
})();
