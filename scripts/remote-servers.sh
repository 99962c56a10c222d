#!/usr/bin/env bash
# The servers the remote-store tests talk to, on localhost: an sshd (Debian's openssh-server)
# with generated host and user keys, and moto's S3 server (PyPI's moto[server]) enforcing
# Signature V4 with an IAM user made for the tests.
#
#   scripts/remote-servers.sh start [DIR]   installs what is missing, starts both, prints the
#                                           `export CAIRN_TEST_…` lines the tests read
#   scripts/remote-servers.sh stop [DIR]    stops them (by their pid files)
set -euo pipefail
action=${1:-start}
dir=${2:-/tmp/cairn-remotes}
ssh_port=16822
s3_port=16900

stop() {
    for pid in "$dir/sshd.pid" "$dir/moto.pid"; do
        [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
        rm -f "$pid"
    done
    sleep 0.5
}

if [ "$action" = stop ]; then
    stop
    exit 0
fi

missing=$( [ -x /usr/sbin/sshd ] || echo openssh-server; command -v curl >/dev/null || echo curl )
if [ -n "$missing" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
fi
# moto before 5.2.5 checks a signature against the decoded query, refusing any correctly
# signed listing whose prefix has a '/': a virtual environment of its own holds a newer one.
python=${dir}-python
if ! "$python/bin/python" -c 'import moto, boto3, sys; sys.exit(tuple(map(int, moto.__version__.split(".")[:3])) < (5, 2, 5))' 2>/dev/null; then
    rm -rf "$python"
    python3 -m venv "$python"
    "$python/bin/pip" install -q 'moto[server]>=5.2.5' boto3 >&2
fi
stop
rm -rf "$dir"
mkdir -p "$dir/home/.ssh" /run/sshd
chmod 700 "$dir/home/.ssh"

# sshd: a host key, a user key whose public half is the only authorized key, and a known_hosts
# entry for the host key, in a home folder the tests use as HOME.
ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/home/.ssh/id_ed25519"
cp "$dir/home/.ssh/id_ed25519.pub" "$dir/authorized_keys"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" > "$dir/home/.ssh/known_hosts"
cat > "$dir/sshd_config" <<CONF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100
MaxSessions 100
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"

# S3: the first requests need no signature; they make the tests' user, its key and the bucket.
# Every request after them must be signed with that key.
INITIAL_NO_AUTH_ACTION_COUNT=4 nohup "$python/bin/moto_server" -H 127.0.0.1 -p $s3_port > "$dir/moto.log" 2>&1 &
echo $! > "$dir/moto.pid"
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$s3_port/moto-api/" && break
    sleep 0.1
done
"$python/bin/python" - "$s3_port" "$dir/s3.env" <<'PY'
import sys, boto3
port, out = sys.argv[1], sys.argv[2]
endpoint = f"http://127.0.0.1:{port}"
common = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
iam = boto3.client("iam", **common)
iam.create_user(UserName="cairn")
iam.put_user_policy(UserName="cairn", PolicyName="all",
                    PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')
key = iam.create_access_key(UserName="cairn")["AccessKey"]
boto3.client("s3", **common).create_bucket(Bucket="cairn-test")
with open(out, "w") as f:
    f.write(f"export CAIRN_TEST_S3_ENDPOINT={endpoint}\n")
    f.write("export CAIRN_TEST_S3_BUCKET=cairn-test\n")
    f.write(f"export CAIRN_TEST_S3_KEY_ID={key['AccessKeyId']}\n")
    f.write(f"export CAIRN_TEST_S3_SECRET={key['SecretAccessKey']}\n")
PY

for _ in $(seq 50); do
    ssh -q -o BatchMode=yes -o UserKnownHostsFile="$dir/home/.ssh/known_hosts" -i "$dir/home/.ssh/id_ed25519" \
        -p $ssh_port root@127.0.0.1 true 2>/dev/null && break
    sleep 0.1
done
echo "export CAIRN_TEST_SSH=root@127.0.0.1:$ssh_port"
echo "export CAIRN_TEST_SSH_HOME=$dir/home"
cat "$dir/s3.env"
