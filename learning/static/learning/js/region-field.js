/* The region field: suggestions by name as one types (learning/region_field.py).
 * Without this script the field still works: the server accepts a code or an
 * exact name typed into the box. With it, choosing a suggestion fills the box
 * with the region's full name, or, in the multiple field, adds a ticked box
 * beside the ones already chosen (which nothing here ever removes). */
(function () {
  "use strict";
  var counter = 0;

  function setUp(root) {
    var input = root.querySelector("[data-region-input]");
    var list = root.querySelector("[data-region-options]");
    var chips = root.querySelector("[data-region-chips]");
    if (!input || !list || !window.fetch) return;
    var listId = "region-options-" + (counter += 1);
    var timer = null;
    var asked = 0;
    var shown = [];
    var active = -1;
    var scrolled = false;

    list.id = listId;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      list.textContent = "";
      shown = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < items.length; i += 1) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function addChip(region) {
      var boxes = chips.querySelectorAll("input[type=checkbox]");
      for (var i = 0; i < boxes.length; i += 1) {
        if (boxes[i].value === region.code) {
          boxes[i].checked = true;
          return;
        }
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      var text = document.createElement("span");
      label.className = "region-field__chip";
      box.type = "checkbox";
      box.name = root.getAttribute("data-name");
      box.value = region.code;
      box.checked = true;
      text.textContent = region.label;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" "));
      label.appendChild(text);
      item.appendChild(label);
      // First, right under the box: in sight while the keyboard is open.
      chips.insertBefore(item, chips.firstChild);
    }

    function choose(region) {
      if (chips) {
        addChip(region);
        input.value = "";
      } else {
        input.value = region.label;
      }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    }

    function show(results) {
      close();
      shown = results;
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "region-field__none";
        none.textContent = root.getAttribute("data-none");
        list.appendChild(none);
      }
      var chosen = {};
      if (chips) {
        var boxes = chips.querySelectorAll("input[type=checkbox]:checked");
        for (var i = 0; i < boxes.length; i += 1) chosen[boxes[i].value] = true;
      }
      results.forEach(function (region, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        // A village already chosen says so, rather than looking addable again.
        option.textContent = (chosen[region.code] ? "\u2713 " : "") + region.label;
        // Keep the focus in the box, so its blur does not close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        option.addEventListener("click", function () {
          choose(region);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (!scrolled && window.matchMedia("(max-width: 50em)").matches) {
        // On a phone the keyboard covers the lower half: lift the box once.
        scrolled = true;
        input.scrollIntoView({ block: "start", behavior: "smooth" });
      }
    }

    function search() {
      var text = input.value.trim();
      if (text.length < 2) {
        close();
        return;
      }
      var mine = (asked += 1);
      var url = root.getAttribute("data-url") + "&q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          // An older answer arriving late must not replace a newer one.
          if (mine === asked && document.activeElement === input) show(data.results || []);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" && shown.length) {
        event.preventDefault();
        highlight((active + 1) % shown.length);
      } else if (event.key === "ArrowUp" && shown.length) {
        event.preventDefault();
        highlight((active - 1 + shown.length) % shown.length);
      } else if (event.key === "Enter" && (active >= 0 || shown.length === 1)) {
        // Enter picks the suggestion instead of saving the form half-filled.
        event.preventDefault();
        choose(shown[Math.max(active, 0)]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      scrolled = false;
      setTimeout(close, 150);
    });
  }

  function setUpAll() {
    var roots = document.querySelectorAll("[data-region-field]");
    for (var i = 0; i < roots.length; i += 1) setUp(roots[i]);
  }

  // The admin loads form scripts in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
