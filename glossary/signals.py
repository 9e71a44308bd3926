"""Keeps every term's stored body HTML (Term.body_html) right. A body's [[links]] point to the
terms and aliases that are published when it is rendered, so when a term is published,
unpublished, re-keyed or deleted, or an alias comes, goes or changes, the bodies that link to
it are rendered again. Connected in GlossaryConfig.ready(), so every path that saves (the
admin, imports, load_content, the services, a restore) keeps them right."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from .markdown import render_markdown, term_link_slugs
from .models import Alias, Status, Term


def render_bodies_linking_to(slugs: Iterable[str]) -> int:
    """Render again the bodies of the terms that link to any of `slugs`; how many."""
    slugs = set(slugs)
    linking = [
        term
        for term in Term.objects.filter(body__contains="[[").only("pk", "body")
        if slugs & set(term_link_slugs(term.body))
    ]
    if not linking:
        return 0
    targets = Term.objects.published().link_targets()
    for term in linking:
        term.body_html = render_markdown(term.body, targets)
    Term.objects.bulk_update(linking, ["body_html"])
    return len(linking)


def _remember_term(sender, instance: Term, **kwargs) -> None:
    """Before a save: the slug and status the links knew."""
    instance._links_knew = (
        Term.objects.filter(pk=instance.pk).values_list("slug", "status").first()
        if instance.pk
        else None
    )


def _term_saved(sender, instance: Term, **kwargs) -> None:
    knew = getattr(instance, "_links_knew", None)
    now = (instance.slug, instance.status)
    if knew == now:
        return
    was_linkable = knew is not None and knew[1] == Status.PUBLISHED
    if not was_linkable and instance.status != Status.PUBLISHED:
        return
    old_slug = [knew[0]] if knew else []
    aliases = Alias.objects.filter(term=instance).values_list("slug", flat=True)
    render_bodies_linking_to([instance.slug, *old_slug, *aliases])


def _remember_deleted_term(sender, instance: Term, **kwargs) -> None:
    instance._links_knew = [instance.slug, *instance.aliases.values_list("slug", flat=True)]


def _term_deleted(sender, instance: Term, **kwargs) -> None:
    render_bodies_linking_to(getattr(instance, "_links_knew", [instance.slug]))


def _remember_alias(sender, instance: Alias, **kwargs) -> None:
    instance._links_knew = (
        Alias.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


def _alias_changed(sender, instance: Alias, **kwargs) -> None:
    knew = getattr(instance, "_links_knew", None)
    render_bodies_linking_to({instance.slug, *([knew] if knew else [])})


def connect() -> None:
    pre_save.connect(_remember_term, sender=Term, dispatch_uid="body-html-term-before")
    post_save.connect(_term_saved, sender=Term, dispatch_uid="body-html-term")
    pre_delete.connect(_remember_deleted_term, sender=Term, dispatch_uid="body-html-term-gone")
    post_delete.connect(_term_deleted, sender=Term, dispatch_uid="body-html-term-deleted")
    pre_save.connect(_remember_alias, sender=Alias, dispatch_uid="body-html-alias-before")
    post_save.connect(_alias_changed, sender=Alias, dispatch_uid="body-html-alias")
    post_delete.connect(_alias_changed, sender=Alias, dispatch_uid="body-html-alias-deleted")
