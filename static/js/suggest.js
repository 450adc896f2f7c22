// Partner-city autocomplete for the "Suggest a partnership" form: asks the public
// API for matching cities and offers them in the field's <datalist> (value = slug).
(function () {
  "use strict";
  var input = document.querySelector("[data-city-autocomplete]");
  if (!input) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    var term = input.value.trim();
    if (term.length < 2 || term === last) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      last = term;
      fetch("/api/v1/cities/?page_size=10&search=" + encodeURIComponent(term), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          while (list.firstChild) list.removeChild(list.firstChild);
          (data.results || []).forEach(function (city) {
            var option = document.createElement("option");
            option.value = city.slug;
            option.label = city.name + (city.region ? ", " + city.region : "") + " (" + city.country + ")";
            option.textContent = option.label;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();
