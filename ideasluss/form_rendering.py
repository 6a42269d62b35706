"""How every form field is laid out: the project's own field template.

`FORM_RENDERER` points here, so `{{ field.as_field_group }}` (and `{{ form }}`) render
through templates/components/field.html everywhere: a label without a trailing colon,
a checkbox beside its label, hint and error above the input and tied to it with
aria-describedby (Django adds that attribute itself). TemplatesSetting lets the field
template live with the project's other templates; widgets still come from django.forms.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "components/field.html"
