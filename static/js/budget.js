/*
 * A running total of the budget lines while the application is written (progressive
 * enhancement: without this script the form works the same, and the total is shown on
 * the application once it is saved). The server counts the saved budget again; this is
 * only a help while typing.
 *
 * templates/fund/application_form.html has
 *   <fieldset data-budget data-substitute-category="substitute_staff" data-line-total-label="…">
 *     <fieldset data-budget-line> … [name$=category] [name$=amount] [name$=hours]
 *                                    [name$=hourly_rate] [name$=DELETE] … </fieldset>
 *     <div data-budget-total hidden> … <output data-budget-total-value> … </div>
 * A substitute line costs hours × hourly rate, rounded to whole kronor as the server
 * rounds (half to even); any other line its amount; a line marked for removal nothing.
 * Amounts are written as fund_money.kronor writes them: "35 000 kr", "SEK 35,000".
 */
(function () {
  "use strict";

  var budget = document.querySelector("[data-budget]");
  var total = budget && budget.querySelector("[data-budget-total]");
  var totalValue = total && total.querySelector("[data-budget-total-value]");
  if (!totalValue || !window.Intl) {
    return;
  }
  var swedish = (document.documentElement.lang || "sv").slice(0, 2) === "sv";
  var numbers = new Intl.NumberFormat(swedish ? "sv-SE" : "en-GB", { maximumFractionDigits: 0 });

  function kronor(amount) {
    // A no-break space keeps the amount and its unit on one line.
    return swedish ? numbers.format(amount) + "\u00a0kr" : "SEK\u00a0" + numbers.format(amount);
  }

  /* "7,5", "7.5" or "12 500" as a number; null when it is not one. */
  function parse(input) {
    if (!input) {
      return null;
    }
    var text = input.value.replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (text === "" || !/^\d+(\.\d+)?$/.test(text)) {
      return null;
    }
    return Number(text);
  }

  /* Whole kronor of hours × rate, half to even like Python's round() on the server. */
  function substituteCost(hours, rate) {
    var tenths = Math.round(hours * 10) * Math.round(rate);
    var whole = Math.floor(tenths / 10);
    var rest = tenths % 10;
    return rest > 5 || (rest === 5 && whole % 2 === 1) ? whole + 1 : whole;
  }

  function field(line, name) {
    return line.querySelector("[name$='-" + name + "']");
  }

  var lines = Array.prototype.map.call(budget.querySelectorAll("[data-budget-line]"), function (line) {
    var output = document.createElement("output");
    output.className = "budget-line__total";
    var label = document.createElement("span");
    label.className = "budget-line__total-label";
    label.textContent = budget.dataset.lineTotalLabel;
    var box = document.createElement("p");
    box.className = "budget-line__sum";
    box.appendChild(label);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(output);
    // After the money fields, before "Remove this line".
    var rate = line.querySelector(".budget-line__field--hourly_rate");
    line.insertBefore(box, rate ? rate.nextSibling : null);
    return { element: line, output: output };
  });

  function lineCost(line) {
    var removed = field(line, "DELETE");
    if (removed && removed.checked) {
      return null;
    }
    var category = field(line, "category");
    if (category && category.value === budget.dataset.substituteCategory) {
      var hours = parse(field(line, "hours"));
      var rate = parse(field(line, "hourly_rate"));
      return hours !== null && rate !== null ? substituteCost(hours, rate) : null;
    }
    var amount = parse(field(line, "amount"));
    return amount === null ? null : Math.round(amount);
  }

  function update() {
    var sum = 0;
    lines.forEach(function (line) {
      var cost = lineCost(line.element);
      line.output.textContent = cost === null ? "–" : kronor(cost);
      sum += cost || 0;
    });
    totalValue.textContent = kronor(sum);
  }

  budget.addEventListener("input", update);
  budget.addEventListener("change", update);
  total.hidden = false;
  update();
})();
