"""``{% sharedfragment "name" key=value ... %}…{% endsharedfragment %}``: a part of a public
page rendered once for everyone who sees the page (see core/pagecache/fragments.py).

The values after the name are part of the key and are set in the fragment's context: pass
whatever the view derived from the person that the fragment shows (``can_manage``).
``personal=...`` (not part of the key) renders the fragment for this person alone, without
the cache, when true: a list filtered to "mine".

``using=...`` (not part of the key) names a mapping whose items the fragment's body reads,
set in its context only when the body renders: a ``deferred()`` value from the view is then
computed on a miss and not at all when the fragment comes from the cache (the plan's
figures). It must depend only on the page's address and what the key holds.
"""

from django import template
from django.template.base import Node, NodeList
from django.template.context import Context
from django.template.defaulttags import token_kwargs
from django.utils.safestring import SafeString, mark_safe

from core.pagecache import fragments

register = template.Library()


class SharedFragmentNode(Node):
    def __init__(self, name, vary, nodelist: NodeList) -> None:
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        name = str(self.name.resolve(context))
        vary = {key: value.resolve(context) for key, value in self.vary.items()}
        using = vary.pop("using", None)

        def render() -> str:
            if using is None:
                return self.nodelist.render(context)
            with context.push(**dict(using)):
                return self.nodelist.render(context)

        if vary.pop("personal", None):
            return render()
        with context.push(**vary):
            html = fragments.shared(context.get("request"), name, vary, render, context)
        # Rendered (and escaped) by the template engine, now or when it was stored.
        return mark_safe(html)  # noqa: S308


@register.tag("sharedfragment")
def sharedfragment(parser, token) -> SharedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    name = parser.compile_filter(bits[1])
    rest = bits[2:]
    vary = token_kwargs(rest, parser, support_legacy=False)
    if rest:
        raise template.TemplateSyntaxError(f"{bits[0]} takes key=value pairs after its name")
    nodelist = parser.parse(("endsharedfragment",))
    parser.delete_first_token()
    return SharedFragmentNode(name, vary, nodelist)
