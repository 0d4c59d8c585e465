"""{% login_card_status learner %}: a person's card (issued, last used) and, for their trainer, the card page."""

from django import template
from django.urls import reverse

from .. import selectors

register = template.Library()


@register.inclusion_tag("registration/_card_status.html", takes_context=True)
def login_card_status(context, learner):
    viewer = context["request"].user
    can_issue = selectors.registrable_learners(viewer).filter(pk=learner.pk).exists()
    return {"card": selectors.current_card(learner),
            "card_url": reverse("registration:card", args=[learner.pk]) if can_issue else ""}
