"""The one exception type handlers raise; the server turns it into an AWS error response."""


class EcrError(Exception):
    """An AWS error: `code` becomes `__type`, so boto3 raises `client.exceptions.<code>`."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def invalid_parameter(field, reason):
    """InvalidParameterException worded the way ECR words its own checks."""
    return EcrError(
        "InvalidParameterException",
        f"Invalid parameter at '{field}' failed to satisfy constraint: '{reason}'",
    )


class ConnectionDropped(Exception):
    """The connection is to be reset without a response (an injected fault); `applied` says
    whether the call changed state first."""

    def __init__(self, applied):
        super().__init__("connection reset")
        self.applied = applied
