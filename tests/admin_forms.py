"""Post an admin change form as the browser would: what the page shows, with some values
changed. The data is read from the page's forms, so the post is valid wherever the page
lets the field be edited."""


def _form_data(form, data):
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif value is True:
            data[key] = "on"
        else:
            data[key] = str(value)


def change_form_data(response, **changes) -> dict:
    """The data of the admin change page ``response`` (the form and its inlines), with
    ``changes`` applied; fields the page shows read-only are posted all the same."""
    data: dict = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    data.update({key: str(value) for key, value in changes.items()})
    return data
