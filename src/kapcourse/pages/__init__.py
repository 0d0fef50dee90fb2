"""The pages a learner opens in JupyterLab beside the lessons: My progress, the final
assessment and the course evaluation (ipywidgets; the book's scripts mirror them)."""
