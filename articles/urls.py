from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("import/", views.import_paste, name="import_paste"),
    path("import/files/", views.import_files, name="import_files"),
    path("import/urls/", views.import_urls, name="import_urls"),
    path("import/feed/", views.import_feed, name="import_feed"),
    path("import/bulk/", views.import_bulk, name="import_bulk"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
    path("jobs/items/<int:item_id>/new-version/", views.item_new_version, name="item_new_version"),
    path("articles/<int:article_id>/", views.article_detail, name="article_detail"),
    path(
        "articles/<int:article_id>/factsheet.<str:fmt>", views.factsheet_download, name="factsheet_download"
    ),
    path("articles/<int:article_id>/reextract/", views.article_reextract, name="article_reextract"),
    path("articles/<int:article_id>/claims/add/", views.claim_add, name="claim_add"),
    path("articles/<int:article_id>/claims/bulk/", views.claims_bulk, name="claims_bulk"),
    path("claims/<int:claim_id>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:claim_id>/split/", views.claim_split, name="claim_split"),
    path("claims/<int:claim_id>/merge/", views.claim_merge, name="claim_merge"),
    path("claims/<int:claim_id>/discard/", views.claim_discard, name="claim_discard"),
    path("claims/<int:claim_id>/restore/", views.claim_restore, name="claim_restore"),
    path("claims/<int:claim_id>/promote/", views.claim_promote, name="claim_promote"),
    path("claims/<int:claim_id>/assign/", views.claim_assign, name="claim_assign"),
    path("claims/<int:claim_id>/take/", views.claim_take, name="claim_take"),
    path("claims/<int:claim_id>/unassign/", views.claim_unassign, name="claim_unassign"),
    path("claims/<int:claim_id>/reassign/", views.claim_reassign, name="claim_reassign"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:notification_id>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("me/availability/", views.my_availability, name="my_availability"),
    path("people/<int:user_id>/availability/", views.member_availability, name="member_availability"),
    path("claims/<int:claim_id>/approve/", views.claim_approve, name="claim_approve"),
    path("claims/<int:claim_id>/review/", views.review_edit, name="review_edit"),
    path("claims/<int:claim_id>/history/", views.claim_history, name="claim_history"),
    path("claims/<int:claim_id>/comments/", views.claim_comments, name="claim_comments"),
    path("my-claims/", views.my_claims, name="my_claims"),
    path("settings/", views.newsroom_settings, name="newsroom_settings"),
    path("settings/people/", views.people, name="people"),
    path("settings/people/<int:user_id>/", views.person_edit, name="person_edit"),
    path("settings/verdicts/", views.verdicts, name="verdicts"),
    path("settings/verdicts/<int:verdict_id>/", views.verdict_edit, name="verdict_edit"),
    path("settings/verdicts/<int:verdict_id>/delete/", views.verdict_delete, name="verdict_delete"),
]
