"""Services the endpoint does not serve (IAM, ...) answer the way AWS answers a caller without
permission for them: AccessDenied in the query protocol's XML. SDK clients then raise a ClientError
that callers handle, as amazon.aws.aws_caller_info does for iam:ListAccountAliases."""

from urllib.parse import parse_qs

from .sts import error_xml


def handle(body, account, service):
    """(status, xml, operation, error_code) for a request to `service`."""
    action = parse_qs(body.decode("utf-8", "replace")).get("Action", ["Unknown"])[0]
    principal = f"arn:aws:iam::{account}:user/local" if account else "an anonymous caller"
    message = f"User: {principal} is not authorized to perform: {service}:{action}"
    return 403, error_xml("AccessDenied", message), action, "AccessDenied"
