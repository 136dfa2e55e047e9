"""python -m ecr_endpoint: run the endpoint until SIGTERM or SIGINT.

Once listening it prints the URL and writes it to --url-file (atomically, so a waiting script
never reads half a URL).
"""

import argparse
import os
import signal
import sys
import tempfile
import threading

from .endpoint import EcrEndpoint


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ecr_endpoint", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--url-file", help="write the URL here once listening")
    parser.add_argument("--call-log", help="append one JSON line per API call (default: $ECR_ENDPOINT_CALL_LOG)")
    parser.add_argument("--page-size", type=int, help="largest page of any describe call (default: $ECR_ENDPOINT_PAGE_SIZE or 100)")
    args = parser.parse_args(argv)

    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        endpoint = EcrEndpoint(host=args.host, port=args.port, page_size=args.page_size, call_log_path=args.call_log)
    except ValueError as error:  # a bad --page-size or ECR_ENDPOINT_* variable
        parser.error(str(error))
    url = endpoint.start()
    if args.url_file:
        write_atomically(args.url_file, url)
    print(f"ECR endpoint listening on {url}", flush=True)
    while not stopping.wait(0.5):
        pass
    endpoint.stop()
    return 0


def write_atomically(path, text):
    """Write to a temporary file beside `path`, then rename it over `path`."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".url-")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    os.replace(temporary, path)


if __name__ == "__main__":
    sys.exit(main())
