"""How every form field is laid out: the project's own field template.

`FORM_RENDERER` points here, so `{{ field.as_field_group }}` (and `{{ form }}`) render
through templates/components/field.html everywhere: a label without a trailing colon,
a checkbox beside its label, hint and error above the input and tied to it with
aria-describedby (Django adds that attribute itself). TemplatesSetting lets the field
template live with the project's other templates; widgets still come from django.forms.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html_join


class FormRenderer(TemplatesSetting):
    field_template_name = "components/field.html"


class ManyOptionsSelect(forms.Select):
    """A select of hundreds of flat choices (the 300 units of a large municipality),
    its options written here in one pass and the `<select>` around them by the widget
    template. Django's option dictionaries and a template pass per option cost 8 ms of
    every idea bank request at 300 units (docs/benchmarks/README.md); same markup."""

    template_name = "django/forms/widgets/many_options_select.html"

    def optgroups(self, name, value, attrs=None):
        return []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = {str(chosen) for chosen in context["widget"]["value"]}
        context["widget"]["options_html"] = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (choice, " selected" if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        return context
