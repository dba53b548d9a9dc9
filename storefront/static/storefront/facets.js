/* Filters apply as soon as they change; without JavaScript the "Lọc" button does it.
   A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only. */
document.querySelectorAll('.facets input, .facets select').forEach(function (el) {
  el.addEventListener('change', function () { el.form.submit(); });
});
