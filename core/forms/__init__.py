"""The GOV.UK forms toolkit every form of the service is built from (crispy-forms-gds underneath).

- `base`: the form helper, forms that explain limits instead of cutting text off, the
  hidden "state you saw" every change page carries, and word limits;
- `fields`: amounts in pounds, model ids, and the Design System's date input and date and
  time inputs, with errors on the boxes that need fixing;
- `layout`: radios and checkboxes that reveal further questions, and inputs with a £ prefix.
"""
