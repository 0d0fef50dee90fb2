"""The item banks: the model and YAML loading (checked by JSON Schemas, with file:line:key
errors), the course folder and its bibliography, the safe Markdown the banks are written in,
item-quality and dated-claim checks, and the course-wide checks of `kapcourse validate`."""
