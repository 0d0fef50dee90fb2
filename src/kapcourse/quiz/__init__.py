"""The lesson quiz: grading, the ipywidgets view (JupyterLab), the static HTML view the
book's kapquiz.js makes interactive, and the lesson API notebooks call (`Lesson`)."""
