"""The question pages of the bid form, one module per section of the task list."""
