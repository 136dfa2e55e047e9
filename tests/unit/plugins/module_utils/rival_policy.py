"""A registry policy client with a rival writer, for the verified-write tests (ECR has no conditional write)."""

import json

ACCOUNT = "123456789012"


def statement(sid, action="ecr:ReplicateImage"):
    return {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": action, "Resource": "*"}


class SharedPolicy:
    """The registry policy as the service keeps it, with a rival writer that, after each of our
    first `overwrites` puts, puts back the stale policy it read before ours plus its own statement."""

    def __init__(self, statements, overwrites=0):
        self.text = json.dumps({"Version": "2012-10-17", "Statement": statements})
        self.overwrites = overwrites
        self.puts = 0

    def get_registry_policy(self):
        return {"registryId": ACCOUNT, "policyText": self.text}

    def put_registry_policy(self, policyText):
        stale = self.text
        self.text, self.puts = policyText, self.puts + 1
        if self.overwrites:
            self.overwrites -= 1
            rival = json.loads(stale)
            rival["Statement"].append(statement(f"Rival{self.puts}"))
            self.text = json.dumps(rival)
        return {"registryId": ACCOUNT, "policyText": policyText}
