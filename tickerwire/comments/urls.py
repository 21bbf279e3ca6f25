"""Comment routes: the comment area, readers' writes, and the moderation page."""

from __future__ import annotations

from django.urls import path

from tickerwire.comments import moderation, views

app_name = "comments"

urlpatterns = [
    path("articles/<int:article_id>/comments", views.thread, name="thread"),
    path("articles/<int:article_id>/comments/post", views.post, name="post"),
    path("comments/<int:comment_id>/edit", views.edit, name="edit"),
    path("comments/<int:comment_id>/delete", views.delete, name="delete"),
    path("comments/<int:comment_id>/like", views.like, name="like"),
    path("comments/<int:comment_id>/report", views.report, name="report"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/log", moderation.log, name="moderation-log"),
    path("moderation/comments/<int:comment_id>/<slug:verb>", moderation.comment_action, name="moderate-comment"),
    path("moderation/readers/<int:user_id>/<slug:verb>", moderation.reader_action, name="moderate-reader"),
    path("moderation/articles/<int:article_id>/<slug:verb>", moderation.article_action, name="moderate-article"),
]
