// 数据报送: send the upload form with XMLHttpRequest so the clerk sees the file's upload
// progress, then follow the server's answer (the report, or the batch's progress page).
// Without JavaScript the form posts as usual.
(function () {
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var box = document.getElementById("upload-progress");
    var bar = box.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded * 100) / e.total);
    };
    xhr.onload = function () {
      if (xhr.responseURL && xhr.responseURL.indexOf("/collect/jobs/") !== -1) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () {
      button.disabled = false;
      box.querySelector("span").textContent = "上传失败，请检查网络后重试";
    };
    xhr.send(new FormData(form));
  });
})();
