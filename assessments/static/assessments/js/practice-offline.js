/* A practice quiz worked on the phone, with or without signal: questions and
 * keys come from the stored JSON (practice questions no graded quiz uses);
 * answers are marked here and sent nowhere. */
(function () {
  "use strict";
  var box = document.querySelector("[data-practice]");
  var template = document.getElementById("practice-question");
  if (!box || !template) return;
  var words = JSON.parse(document.getElementById("practice-text").textContent);

  function shuffled(list) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var keep = copy[i]; copy[i] = copy[j]; copy[j] = keep;
    }
    return copy;
  }

  function paper(quiz) {
    var questions = quiz.questions.slice();
    quiz.pools.forEach(function (pool) {
      questions = questions.concat(shuffled(pool.questions).slice(0, pool.count));
    });
    if (quiz.random_order) questions = shuffled(questions);
    if (quiz.max_questions) questions = questions.slice(0, quiz.max_questions);
    return questions;
  }

  function mark(question, chosen) {
    var total = 0;
    question.options.forEach(function (option) {
      if (chosen.indexOf(option.id) >= 0) total += option.weight;
    });
    return Math.max(0, Math.min(1, total));
  }

  function show(quiz) {
    box.textContent = "";
    var questions = paper(quiz);
    var marks = {};
    var result = document.createElement("p");
    result.className = "notice";
    result.hidden = true;

    questions.forEach(function (question, index) {
      var node = template.content.firstElementChild.cloneNode(true);
      node.querySelector("[data-q-text]").textContent = (index + 1) + ". " + question.text;
      if (question.scenario) {
        var scenario = node.querySelector("[data-q-scenario]");
        scenario.textContent = question.scenario;
        scenario.hidden = false;
      }
      var options = question.shuffle ? shuffled(question.options) : question.options;
      var holder = node.querySelector("[data-q-options]");
      options.forEach(function (option) {
        var label = document.createElement("label");
        label.className = "choice";
        var input = document.createElement("input");
        input.type = question.several ? "checkbox" : "radio";
        input.name = "soal-" + question.id;
        input.value = option.id;
        label.append(input, " ", option.text);
        holder.appendChild(label);
      });
      node.querySelector("[data-q-check]").addEventListener("click", function () {
        var chosen = Array.prototype.map.call(holder.querySelectorAll("input:checked"), function (input) {
          return Number(input.value);
        });
        var feedback = node.querySelector("[data-q-feedback]");
        feedback.hidden = false;
        feedback.textContent = "";
        if (!chosen.length) { feedback.textContent = words.choose; return; }
        var got = mark(question, chosen);
        marks[question.id] = got;
        var verdict = document.createElement("p");
        verdict.className = "verdict";
        verdict.textContent = got >= 0.999 ? words.right : got > 0 ? words.partly : words.wrong;
        feedback.appendChild(verdict);
        question.options.forEach(function (option) {
          if (chosen.indexOf(option.id) >= 0 && option.feedback) {
            var note = document.createElement("p");
            note.textContent = option.text + ": " + option.feedback;
            feedback.appendChild(note);
          }
        });
        if (question.explanation) {
          var why = document.createElement("p");
          why.className = "muted";
          why.textContent = question.explanation;
          feedback.appendChild(why);
        }
        var done = Object.keys(marks).length;
        if (done === questions.length) {
          var right = Object.keys(marks).reduce(function (sum, key) { return sum + marks[key]; }, 0);
          result.textContent = words.total.replace("%(right)s", String(Math.round(right * 10) / 10).replace(".", ","))
            .replace("%(count)s", questions.length);
          result.hidden = false;
        }
      });
      box.appendChild(node);
    });
    if (quiz.left_out) {
      var note = document.createElement("p");
      note.className = "muted";
      note.textContent = words.left_out.replace("%(count)s", quiz.left_out);
      box.appendChild(note);
    }
    box.appendChild(result);
    var again = document.createElement("button");
    again.type = "button";
    again.className = "button button--small";
    again.textContent = words.again;
    again.addEventListener("click", function () { show(quiz); window.scrollTo(0, 0); });
    box.appendChild(again);
  }

  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(show)
    .catch(function () {
      box.textContent = words.failed;
    });
})();
