// The admin's dropdown list filters (templates/admin/dropdown_filter.html): choosing
// an option opens that filtered list, as clicking a filter link does.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-filter-select]");
  if (select) window.location.search = select.value;
});
