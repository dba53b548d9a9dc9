/* Suggest-as-you-type: fills the search box's datalist from /tim-kiem/goi-y/?format=json.
   Without JavaScript the "Gợi ý" button opens the same suggestions as a page of links. */
(function () {
  var input = document.getElementById('search-q');
  var list = document.getElementById('search-suggestions');
  if (!input || !list || !window.fetch) { return; }
  var timer = null, last = '';
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q === last || q.length < 2) { return; }
      last = q;
      fetch(input.dataset.suggestUrl + '?format=json&q=' + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = '';
          data.suggestions.forEach(function (s) {
            var option = document.createElement('option');
            option.value = s.name;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
