"""Headers survey tools give their own columns, normalised (see :func:`.text.normalise`).

:func:`culturescope.importing.columns.classify_metadata` reads them: a metadata column
(response number, start / submission / last-edit time, or other tool bookkeeping) is used
only to detect duplicates and to date a response; an identifying column (e-mail, name,
user, IP address, phone, device, GPS…) is dropped and never stored. One place to add the
columns of another tool.
"""

from __future__ import annotations

import re

#: Metadata roles: ``id`` a response number, ``start``/``end`` times, ``modified`` the last
#: edit time, ``other`` anything else a survey tool adds (points, feedback, language...).
METADATA_ROLES = ("id", "start", "end", "modified", "other")

_METADATA = {
    "id": {
        "id",
        "response id",
        "response number",
        "respondent id",
        "submission id",
        "entry id",
        "record id",
        "form number",  # the CultureScope template's paper-form number
        "form no",
        "uuid",  # KoboToolbox / ODK
        "meta instanceid",  # ODK Central's meta-instanceID (Kobo's _uuid comes after it)
    },
    "start": {
        "start time",
        "start date",
        "started",
        "start",
        "started at",
        "start datetime",
        "date started",  # LimeSurvey
        "startdate",
    },
    "end": {
        "completion time",
        "completion date",
        "completed",
        "completed at",
        "timestamp",
        "time stamp",
        "end time",
        "end date",
        "submitted",
        "submitted at",
        "submission time",
        "submission date",
        "date submitted",
        "submit date",
        "date",
        "end",  # KoboToolbox / ODK
        "submitdate",  # LimeSurvey codes
        "submissiondate",  # ODK Central
    },
    "modified": {
        "last modified time",
        "last modified",
        "modified",
        "updated",
        "last updated",
        "date last action",  # LimeSurvey
        "datestamp",
    },
    "other": {
        "total points",
        "points",
        "quiz feedback",
        "feedback",
        "score",
        "total score",
        "collector id",
        "language",
        "duration",
        "duration seconds",
        "duration in seconds",
        "status",
        "progress",
        "finished",
        "recorded date",
        "distribution channel",
        "user language",
        "response type",  # Qualtrics
        "collector",  # SurveyMonkey
        "custom data",
        "custom data 1",
        "last page",  # LimeSurvey
        "lastpage",
        "start language",
        "startlanguage",
        "seed",
        "validation status",  # KoboToolbox / ODK
        "version",
        "instanceid",
        "key",  # ODK Central: the same instance id again
        "tags",
        "index",
        "today",
        "audit",
        "attachmentspresent",  # ODK Central
        "attachmentsexpected",
        "reviewstate",
        "edits",
        "formversion",
    },
}
#: Normalised header -> metadata role.
METADATA_HEADERS = {name: role for role, names in _METADATA.items() for name in names}

#: Normalised headers of columns that identify a person: dropped, never stored.
IDENTIFYING_HEADERS = {
    "email",
    "e mail",
    "email address",
    "e mail address",
    "mail",
    "name",
    "full name",
    "first name",
    "last name",
    "surname",
    "given name",
    "family name",
    "your name",
    "respondent",
    "respondent name",
    "responder",
    "username",
    "user name",
    "user",
    "user id",
    "login",
    "account",
    "ip",
    "ip address",
    "ipaddress",
    "location latitude",
    "location longitude",
    "latitude",
    "longitude",
    "phone",
    "phone number",
    "mobile",
    "telephone",
    "employee id",
    "employee number",
    "staff id",
    "staff number",
    "personnel number",
    "external reference",
    "external data reference",
    "recipient email",
    "recipient first name",
    "recipient last name",
    "ipaddr",  # LimeSurvey
    "referrer url",
    "refurl",
    "token",
    "access code",
    "submitted by",  # KoboToolbox / ODK
    "deviceid",
    "device id",
    "simserial",
    "subscriberid",
    "phonenumber",
    "submitterid",  # ODK Central: the app or web user who sent the form
    "submittername",
    "instancename",  # ODK: a form's instance name is often built from the person's name
    "meta instancename",
}

#: Words that make any header identifying (a GPS part at its end).
IDENTIFYING_WORDS = re.compile(
    r"\b(e ?mail|ip address|phone|username)\b|\b(latitude|longitude|altitude|precision|accuracy)$"
)
