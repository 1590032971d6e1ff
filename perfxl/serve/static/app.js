// Drop a workbook onto the upload box (or choose one) and it is sent at once.
(function () {
  var form = document.getElementById("upload");
  if (!form) return;
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var button = document.getElementById("upload-button");
  function send() {
    if (!input.files || !input.files.length) return;
    button.disabled = true;
    button.textContent = document.documentElement.lang === "en" ? "Checking…" : "正在校验…";
    form.submit();
  }
  input.addEventListener("change", send);
  ["dragenter", "dragover"].forEach(function (ev) {
    drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      send();
    }
  });
  form.addEventListener("submit", function () { button.disabled = true; });
})();
