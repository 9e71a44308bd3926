"""Who someone is, for templates: the rules of quiz.roles, so that the navigation shows the
links of the same people the pages let in."""

from django import template

from quiz import roles

register = template.Library()


@register.filter
def is_trainer(user) -> bool:
    return user.is_authenticated and roles.is_trainer(user)


@register.filter
def is_editor(user) -> bool:
    return user.is_authenticated and roles.is_editor(user)
