#!/usr/bin/env bash
# The simulated agent of every benchmark: it sleeps BENCH_AGENT_MS (default
# 2000), writes a file in its working directory and succeeds, so what is
# measured is the system around it, not a model. Bash, not Node.js: starting
# it costs ~3 ms instead of ~100 ms of CPU, which on two cores would swamp
# what the benchmarks measure. It speaks both ways Claude Code is driven:
#   - the Agent SDK's stream-json protocol on stdin/stdout (claude-worker), and
#   - `claude -p PROMPT` printing text (a plain loop, or an MCP server that shells out to it).
# Env knobs:
#   BENCH_AGENT_MS        how long the "work" takes
#   BENCH_AGENT_EVENT_MS  in stream-json mode, emit a tool-use event this often while working (0: none)
#   BENCH_AGENT_STARTS    a file to which "<marker> <process start, epoch seconds>" is appended, where
#                         <marker> is the [bench:<marker>] tag of the prompt
#   BENCH_AGENT_EXITS     the same, with the time the agent reported its result
export LC_ALL=C
process_start=$EPOCHREALTIME
work_ms=${BENCH_AGENT_MS:-2000}
event_ms=${BENCH_AGENT_EVENT_MS:-0}
session=bench-$$-$RANDOM

marker_of() {
  if [[ $1 =~ \[bench:([A-Za-z0-9_-]+)\] ]]; then echo "${BASH_REMATCH[1]}"; else echo none; fi
}

record() { # file marker time
  [[ -n $1 ]] && echo "$2 $3" >>"$1"
}

# Sleeping without a fork per pause: `read -t` on a pipe nobody writes to.
# Forking sleep(1) ten times a second in each of 50 agents saturated two cores.
exec {pause_fd}<> <(:)
pause() { # milliseconds
  local seconds
  printf -v seconds '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
  read -r -t "$seconds" -u "$pause_fd" || true
}

work() { # prompt
  local marker
  marker=$(marker_of "$1")
  record "$BENCH_AGENT_STARTS" "$marker" "$process_start"
  if ((event_ms > 0)); then
    local step=0 elapsed=0
    while ((elapsed < work_ms)); do
      pause "$event_ms"
      elapsed=$((elapsed + event_ms))
      echo "{\"type\":\"assistant\",\"session_id\":\"$session\",\"parent_tool_use_id\":null,\"message\":{\"role\":\"assistant\",\"model\":\"bench\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_$step\",\"name\":\"Read\",\"input\":{\"file_path\":\"src/file-$step.ts\"}}]}}"
      step=$((step + 1))
    done
  else
    pause "$work_ms"
  fi
  echo "written for $marker" >"bench-output-$marker-$$.txt"
  record "$BENCH_AGENT_EXITS" "$marker" "$EPOCHREALTIME"
}

for ((i = 1; i <= $#; i++)); do
  if [[ ${!i} == -p ]]; then
    next=$((i + 1))
    work "${!next}" >/dev/null
    echo 'Done: the file is written.'
    exit 0
  fi
done

# stream-json: answer the SDK's control requests; run the prompt of the user message.
while IFS= read -r line; do
  if [[ $line =~ \"type\":\"control_request\" && $line =~ \"request_id\":\"([^\"]+)\" ]]; then
    echo "{\"type\":\"control_response\",\"response\":{\"subtype\":\"success\",\"request_id\":\"${BASH_REMATCH[1]}\",\"response\":{\"commands\":[],\"models\":[],\"account\":{\"apiKeySource\":\"none\"}}}}"
  elif [[ $line =~ \"type\":\"user\" ]]; then
    echo "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"$session\",\"apiKeySource\":\"none\",\"model\":\"bench\",\"cwd\":\"$PWD\",\"tools\":[\"Read\"]}"
    work "$line"
    echo "{\"type\":\"assistant\",\"session_id\":\"$session\",\"parent_tool_use_id\":null,\"message\":{\"role\":\"assistant\",\"model\":\"bench\",\"content\":[{\"type\":\"text\",\"text\":\"Done: the file is written.\"}]}}"
    echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Done: the file is written.\",\"session_id\":\"$session\",\"num_turns\":1,\"duration_ms\":$work_ms,\"duration_api_ms\":0,\"total_cost_usd\":0,\"usage\":{\"input_tokens\":0,\"output_tokens\":0,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0},\"permission_denials\":[]}"
  fi
done
