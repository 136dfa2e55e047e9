# shellcheck shell=bash
# Sourced by tests/run and docs/demo/run: make (once) the virtualenv for one ansible release.
#
#   ensure_venv MAJOR PYTHON   sets VENV to .venv/ansible-MAJOR-pyX.Y, with `ansible` MAJOR.x
#                              (ansible-core and amazon.aws come with it) and tests/requirements.txt

ensure_venv() {
    local major=$1 python=$2 root version key
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    if ! version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); then
        echo "error: cannot run Python interpreter '$python'" >&2
        return 1
    fi
    VENV="$root/.venv/ansible-$major-py$version"
    # Reinstall only when the wanted packages change.
    key="ansible>=$major,<$((major + 1)) $(sha256sum "$root/tests/requirements.txt" | cut -c1-16)"
    if [ ! -x "$VENV/bin/ansible-playbook" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$key" ]; then
        echo "==> Installing ansible $major.x and the test tools into $VENV (one time)"
        "$python" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "ansible>=$major,<$((major + 1))" -r "$root/tests/requirements.txt"
        echo "$key" > "$VENV/.installed"
    fi
}

# The newest Python 3.12+ on this machine: ansible 14 (ansible-core 2.21) needs it.
find_python312() {
    local candidate
    for candidate in python3.13 python3.12 "$(pyenv root 2>/dev/null)"/versions/3.1[23].*/bin/python3; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
