namespace Minuet.IntegrationTests.MesosApi;

/// <summary>
/// A custom executor written from Mesos's executor HTTP API docs alone, in POSIX shell with curl: it SUBSCRIBEs with
/// the environment the agent gives it, runs the one task it is LAUNCHed with (UPDATE TASK_RUNNING), answers each
/// framework MESSAGE "x" with a MESSAGE "pong:x", and on "finish" reports TASK_FINISHED and exits once that is
/// ACKNOWLEDGED. When its stream ends (the agent died) it subscribes again until the agent is back, as Mesos's
/// executor libraries do when <c>MESOS_CHECKPOINT=1</c>. It writes its pid, its environment and a log of what it did
/// to <c>$EXECUTOR_OUT</c>.
/// </summary>
internal static class ShellExecutor
{
    public const string Script = """
        out="$EXECUTOR_OUT"
        echo $$ > "$out/pid"
        env > "$out/env.txt"
        api="http://$MESOS_AGENT_ENDPOINT/api/v1/executor"
        ids="\"framework_id\":{\"value\":\"$MESOS_FRAMEWORK_ID\"},\"executor_id\":{\"value\":\"$MESOS_EXECUTOR_ID\"}"
        events="$MESOS_SANDBOX/events"
        : > "$events"
        task=""
        acks() { grep -o '"type":"ACKNOWLEDGED"' "$events" | wc -l; }
        subscribe() {
          body='{}'
          if [ -n "$task" ] && [ "$(acks)" -eq 0 ]; then
            body="{\"unacknowledged_tasks\":[{\"name\":\"$task\",\"task_id\":{\"value\":\"$task\"},\"agent_id\":{\"value\":\"$MESOS_SLAVE_ID\"}}]}"
          fi
          rm -f "$out/stream-ended"
          ( curl -sN -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
              -d "{\"type\":\"SUBSCRIBE\",$ids,\"subscribe\":$body}" "$api" >> "$events"; : > "$out/stream-ended" ) &
        }
        call() {
          curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "{\"type\":\"$1\",$ids,$2}" "$api"
        }
        update() {
          uuid=$(head -c 16 /dev/urandom | base64)
          echo "update $1 $(call UPDATE "\"update\":{\"status\":{\"task_id\":{\"value\":\"$task\"},\"state\":\"$1\",\"source\":\"SOURCE_EXECUTOR\",\"uuid\":\"$uuid\"}}")" >> "$out/log"
        }
        subscribe
        handled=0
        while :; do
          if [ -e "$out/stream-ended" ]; then
            echo "stream ended; subscribing again" >> "$out/log"
            sleep 0.2
            subscribe
            continue
          fi
          if [ -z "$task" ]; then
            task=$(sed -n 's/.*"type":"LAUNCH","launch":{"task":{"name":"[^"]*","task_id":{"value":"\([^"]*\)".*/\1/p' "$events" | head -n 1)
            [ -n "$task" ] && update TASK_RUNNING
          fi
          n=0
          for data in $(grep -o '"type":"MESSAGE","message":{"data":"[^"]*"' "$events" | sed 's/.*"data":"//; s/"$//'); do
            n=$((n+1))
            [ $n -le $handled ] && continue
            handled=$n
            text=$(echo "$data" | base64 -d)
            if [ "$text" = finish ]; then
              update TASK_FINISHED
              i=0
              while [ "$(acks)" -lt 2 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
              echo "finished" >> "$out/log"
              exit 0
            fi
            echo "message $text $(call MESSAGE "\"message\":{\"data\":\"$(printf 'pong:%s' "$text" | base64)\"}")" >> "$out/log"
          done
          sleep 0.1
        done
        """;

    /// <summary>Writes the script into <paramref name="directory"/> and returns the command that runs it.</summary>
    public static string Install(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "executor.sh");
        File.WriteAllText(path, Script.Replace("\r\n", "\n", StringComparison.Ordinal));
        return "/bin/sh " + path;
    }
}
