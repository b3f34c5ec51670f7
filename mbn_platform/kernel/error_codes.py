"""Every error code a client may receive, in one registry (as Zulip's ``ErrorCode``).

An ``ApplicationError`` carries one of these in ``code`` (``{"error": {"code": …}}`` in the API):
clients branch on it, so a code, once published, keeps its meaning. Add a code here before
raising it; ``tests/test_error_codes.py`` fails on a code raised but not registered.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # Generic answers (the ApplicationError hierarchy, and DRF's own errors mapped to it).
    ERROR = "error"
    INVALID = "invalid"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAVAILABLE = "unavailable"
    SERVER_ERROR = "server_error"
    PARSE_ERROR = "parse_error"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    GONE = "gone"
    ALREADY_EXISTS = "already_exists"
    IN_USE = "in_use"

    # Tenancy: which establishment, and whether the person belongs there.
    NOT_A_MEMBER = "not_a_member"
    ESTABLISHMENT_ARCHIVED = "establishment_archived"
    ESTABLISHMENT_NOT_SERVING = "establishment_not_serving"

    # Provisioning, lifecycle, offboarding (tenants).
    UAI_SHAPE = "uai_shape"
    UAI_CHECK_LETTER = "uai_check_letter"
    UAI_TAKEN = "uai_taken"
    SUBDOMAIN_TAKEN = "subdomain_taken"
    SCHEMA_TAKEN = "schema_taken"
    NO_SCHEMA = "no_schema"
    ONBOARDING_FAILED = "onboarding_failed"
    JOB_RUNNING = "job_running"
    JOB_SUCCEEDED = "job_succeeded"
    INVALID_TRANSITION = "invalid_transition"
    EXPORTS_UNAVAILABLE = "exports_unavailable"
    EXPORT_OUTDATED = "export_outdated"
    EXPORT_INVALID = "export_invalid"
    FILES_LEFT = "files_left"
    SCHEMA_TOOL_FAILED = "schema_tool_failed"

    # Identity: sign-in, second factor, accounts, memberships.
    INVALID_CREDENTIALS = "invalid_credentials"
    SIGN_IN_LOCKED = "sign_in_locked"
    SIGN_IN_EXPIRED = "sign_in_expired"
    SECOND_FACTOR_REQUIRED = "second_factor_required"
    NO_SECOND_FACTOR = "no_second_factor"
    NO_PENDING_SETUP = "no_pending_setup"
    INVALID_RESET_LINK = "invalid_reset_link"
    OWN_ADMIN_ROLE = "own_admin_role"
    CHILD_ENROLLED_ELSEWHERE = "child_enrolled_elsewhere"
    TRANSFER_DECIDED = "transfer_decided"
    IDENTITY_LOCKED = "identity_locked"
    NOT_ENROLLABLE = "not_enrollable"

    # Directory: imports and account activation.
    DIRECTORY_INVALID = "directory_invalid"
    IMPORT_REFUSED = "import_refused"
    IMPORT_STALE = "import_stale"
    IMPORT_APPLIED = "import_applied"
    ACTIVATION_INVALID = "activation_invalid"
    ACTIVATION_EXPIRED = "activation_expired"
    ACTIVATION_USED = "activation_used"
    FEED_UNAVAILABLE = "feed_unavailable"
    FEED_EXISTS = "feed_exists"
    FEED_PAUSED = "feed_paused"

    # Support desk and impersonation.
    INVALID_REQUEST = "invalid_request"
    REQUEST_RESOLVED = "request_resolved"
    IMPERSONATION_ACTIVE = "impersonation_active"
    IMPERSONATION_ENDED = "impersonation_ended"
    IMPERSONATION_SELF_APPROVAL = "impersonation_self_approval"
    IMPERSONATION_FORBIDDEN_PAGE = "impersonation_forbidden_page"
    IMPERSONATION_READ_ONLY = "impersonation_read_only"
    IMPERSONATION_TARGET_REFUSED = "impersonation_target_refused"
    ALREADY_APPROVED = "already_approved"
    REQUEST_ESCALATED = "request_escalated"
    TOO_MANY_REQUESTS = "too_many_requests"

    # Connectors: API tokens, connected applications (OIDC).
    INVALID_TOKEN = "invalid_token"  # noqa: S105 (an error code)
    INSUFFICIENT_SCOPE = "insufficient_scope"
    TOKEN_NOT_ALLOWED_HERE = "token_not_allowed_here"  # noqa: S105 (an error code)
    APP_NOT_ALLOWED = "app_not_allowed"
    LTI_LAUNCH_INVALID = "lti_launch_invalid"

    # Billing: invoices, credit notes, their documents.
    ALREADY_INVOICED = "already_invoiced"
    NOTHING_TO_INVOICE = "nothing_to_invoice"
    ALREADY_CORRECTED = "already_corrected"
    PDF_UNAVAILABLE = "pdf_unavailable"

    # Timetable and attendance.
    LESSON_IN_USE = "lesson_in_use"
    LESSON_HAS_REGISTERS = "lesson_has_registers"
    LESSON_NOT_HELD = "lesson_not_held"
    REGISTER_NOT_OPEN = "register_not_open"
    EXCEPTIONAL_LESSON_HAS_REGISTER = "exceptional_lesson_has_register"
    ALREADY_DECIDED = "already_decided"

    # Appointments: slots, bookings, parent-teacher evenings.
    SLOT_TAKEN = "slot_taken"
    BOOKING_OVERLAP = "booking_overlap"
    BOOKING_CLOSED = "booking_closed"
    CANCEL_TOO_LATE = "cancel_too_late"
    ALREADY_CANCELLED = "already_cancelled"
    EVENING_CLOSED = "evening_closed"

    # The administrative desk: forms and their answers.
    FORM_CLOSED = "form_closed"
    FORM_DEADLINE_PASSED = "form_deadline_passed"
    ALREADY_SUBMITTED = "already_submitted"

    # Document libraries: storage quotas.
    ESTABLISHMENT_QUOTA_EXCEEDED = "establishment_quota_exceeded"
    PERSONAL_QUOTA_EXCEEDED = "personal_quota_exceeded"

    # Collaborative spaces: forums, inter-school projects.
    TOPIC_LOCKED = "topic_locked"
    SPACE_ARCHIVED = "space_archived"
    INTER_SCHOOL_REFUSED = "inter_school_refused"
