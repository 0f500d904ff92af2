namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>
/// Custom executors written as POSIX shell with curl, speaking the v1 executor API from nothing but the environment
/// the agent gives them: SUBSCRIBE (a RecordIO stream kept in <c>events</c>), wait for LAUNCH, then UPDATE calls with
/// fresh 16-byte base64 uuids. Each writes its environment to <c>env.txt</c> in its sandbox.
/// </summary>
internal static class ExecutorScripts
{
    private const string Prelude = """
        env > "$MESOS_SANDBOX/env.txt"
        api="http://$MESOS_AGENT_ENDPOINT/api/v1/executor"
        ids="\"framework_id\":{\"value\":\"$MESOS_FRAMEWORK_ID\"},\"executor_id\":{\"value\":\"$MESOS_EXECUTOR_ID\"}"
        curl -sN -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' -d "{\"type\":\"SUBSCRIBE\",$ids,\"subscribe\":{}}" "$api" > events &
        i=0
        while ! grep -q '"type":"LAUNCH"' events 2>/dev/null; do sleep 0.05; i=$((i+1)); [ $i -gt 600 ] && exit 9; done
        task=$(sed -n 's/.*"type":"LAUNCH","launch":{"task":{"name":"[^"]*","task_id":{"value":"\([^"]*\)".*/\1/p' events | head -n 1)
        update() {
          uuid=$(head -c 16 /dev/urandom | base64)
          curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
            -d "{\"type\":\"UPDATE\",$ids,\"update\":{\"status\":{\"task_id\":{\"value\":\"$task\"},\"state\":\"$1\",\"source\":\"SOURCE_EXECUTOR\",\"message\":\"$2\",\"uuid\":\"$uuid\"}}}" "$api" >> codes
        }

        """;

    /// <summary>Runs its task: RUNNING, then FINISHED once RUNNING was acknowledged, then waits for both acknowledgements and exits 0.</summary>
    public const string RunsTask = Prelude + """
        update TASK_RUNNING "started by the test executor"
        while [ "$(grep -o '"type":"ACKNOWLEDGED"' events | wc -l)" -lt 1 ]; do sleep 0.05; done
        update TASK_FINISHED "done"
        while [ "$(grep -o '"type":"ACKNOWLEDGED"' events | wc -l)" -lt 2 ]; do sleep 0.05; done
        kill $! 2>/dev/null
        exit 0
        """;

    /// <summary>Reports RUNNING, then dies with status 3 without finishing its task.</summary>
    public const string DiesAfterRunning = Prelude + """
        update TASK_RUNNING "about to die"
        while ! grep -q '"type":"ACKNOWLEDGED"' events; do sleep 0.05; done
        kill $! 2>/dev/null
        exit 3
        """;

    /// <summary>Runs every task it gets (RUNNING then FINISHED each), until it has run two, then exits 0.</summary>
    public const string RunsTwoTasks = Prelude + """
        ran=""
        while [ "$(echo $ran | wc -w)" -lt 2 ]; do
          for task in $(sed -n 's/.*"type":"LAUNCH","launch":{"task":{"name":"[^"]*","task_id":{"value":"\([^"]*\)".*/\1/p' events); do
            case " $ran " in
              *" $task "*) ;;
              *) update TASK_RUNNING "pid $$"; update TASK_FINISHED "pid $$"; ran="$ran $task" ;;
            esac
          done
          sleep 0.05
        done
        kill $! 2>/dev/null
        exit 0
        """;

    /// <summary>Writes <paramref name="script"/> into <paramref name="directory"/> and returns the command that runs it.</summary>
    public static string Install(string directory, string name, string script)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name + ".sh");
        File.WriteAllText(path, script.Replace("\r\n", "\n", StringComparison.Ordinal));
        return "/bin/sh " + path;
    }
}
