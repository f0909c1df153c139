# Shared by the benchmark scripts; sourced after they set $base.

# The binary under test: GOSPUBLIC_BIN to measure another build (for before/after figures),
# else this tree's release build.
if [ -n "${GOSPUBLIC_BIN:-}" ]; then
  bin="$GOSPUBLIC_BIN"
else
  cargo build --release --quiet
  bin=./target/release/gospublic
fi

# Signs in as a demo account and prints the session cookie.
session() {
  local jar; jar="$(mktemp)"
  local token
  token="$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=$1" \
    --data-urlencode "password=gospublic-demo" --data-urlencode "next=" "$base/login"
  awk '$6 == "gp_session" { print "gp_session=" $7 }' "$jar"
  rm -f "$jar"
}
