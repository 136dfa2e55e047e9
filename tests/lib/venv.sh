# shellcheck shell=bash
# Sourced by tests/run and docs/demo/run: make (once) the virtualenv for one ansible release.
#
#   ensure_venv MAJOR PYTHON   sets VENV to .venv/ansible-MAJOR-pyX.Y, with `ansible` MAJOR.x
#                              (ansible-core and amazon.aws come with it) and tests/requirements.txt.
#                              ansible 10 and 11 bundle an amazon.aws older than we need (8.x, 9.x):
#                              there amazon.aws 10.x, from ansible 12, replaces it (as a user's
#                              `ansible-galaxy collection install amazon.aws` would).

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
    if [ "$major" -lt 12 ]; then key="$key amazon.aws from ansible>=12,<13"; fi
    if [ ! -x "$VENV/bin/ansible-playbook" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$key" ]; then
        echo "==> Installing ansible $major.x and the test tools into $VENV (one time)"
        "$python" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "ansible>=$major,<$((major + 1))" -r "$root/tests/requirements.txt"
        if [ "$major" -lt 12 ]; then
            "$VENV/bin/python" "$root/tests/lib/amazon_aws_from_pypi.py" "ansible>=12,<13"
        fi
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

#   ensure_tool_venv NAME REQUIREMENTS   sets TOOL_VENV to .work/venvs/NAME with the packages of
#                              REQUIREMENTS (release and docs tools, kept apart from the test venvs
#                              so their pins do not meet ansible's)
ensure_tool_venv() {
    local name=$1 requirements=$2 root key
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    TOOL_VENV="$root/.work/venvs/$name"
    key=$(sha256sum "$requirements" | cut -c1-16)
    if [ ! -x "$TOOL_VENV/bin/python" ] || [ "$(cat "$TOOL_VENV/.installed" 2>/dev/null)" != "$key" ]; then
        echo "==> Installing $(basename "$requirements") into $TOOL_VENV (one time)"
        python3 -m venv "$TOOL_VENV"
        "$TOOL_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$TOOL_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$key" > "$TOOL_VENV/.installed"
    fi
}

#   collections_tree DIR VENV  makes DIR/ansible_collections with this collection (a link to the
#                              checkout) and amazon.aws from VENV: ANSIBLE_COLLECTIONS_PATH=DIR
collections_tree() {
    local dir=$1 venv=$2 root site
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    rm -rf "$dir"
    mkdir -p "$dir/ansible_collections/ecrkit" "$dir/ansible_collections/amazon"
    ln -s "$root" "$dir/ansible_collections/ecrkit/registry"
    ln -s "$site/ansible_collections/amazon/aws" "$dir/ansible_collections/amazon/aws"
}
