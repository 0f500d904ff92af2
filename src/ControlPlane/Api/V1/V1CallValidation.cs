namespace Minuet.ControlPlane.Api.V1;

/// <summary>
/// Mesos's <c>validation::scheduler::call::validate</c> (src/master/validation.cpp) plus the required fields its
/// protobuf parse enforces: the message after "Failed to validate scheduler::Call: ", or null when valid.
/// </summary>
internal static class V1CallValidation
{
    /// <summary>The call types of scheduler.proto besides SUBSCRIBE.</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "TEARDOWN", "ACCEPT", "DECLINE", "REVIVE", "SUPPRESS", "KILL", "SHUTDOWN", "ACKNOWLEDGE", "RECONCILE", "MESSAGE", "REQUEST",
        "ACCEPT_INVERSE_OFFERS", "DECLINE_INVERSE_OFFERS", "ACKNOWLEDGE_OPERATION_STATUS", "RECONCILE_OPERATIONS", "UPDATE_FRAMEWORK",
    };

    public static string? Validate(V1Call call)
    {
        if (call.Type is null)
        {
            return "Expecting 'type' to be present";
        }

        if (call.Type == "SUBSCRIBE")
        {
            if (call.Subscribe is null)
            {
                return "Expecting 'subscribe' to be present";
            }

            var info = call.Subscribe.FrameworkInfo;
            if (info is null)
            {
                return "Missing required field 'subscribe.framework_info'";
            }

            if (info.User is null || info.Name is null)
            {
                return "Missing required field 'subscribe.framework_info." + (info.User is null ? "user" : "name") + "'";
            }

            if (info.Id is { Value: null })
            {
                return "Missing required field 'subscribe.framework_info.id.value'";
            }

            if (call.FrameworkId?.Value != info.Id?.Value)
            {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }

            return null;
        }

        if (!Known.Contains(call.Type))
        {
            // Mesos's JSON parse drops an enum name it does not know, which leaves the call without a type.
            return "Expecting 'type' to be present";
        }

        if (call.FrameworkId?.Value is null)
        {
            return "Expecting 'framework_id' to be present";
        }

        return call.Type switch
        {
            "ACCEPT" when call.Accept is null => "Expecting 'accept' to be present",
            "DECLINE" when call.Decline is null => "Expecting 'decline' to be present",
            "KILL" when call.Kill is null => "Expecting 'kill' to be present",
            "KILL" when call.Kill.TaskId?.Value is null => "Missing required field 'kill.task_id'",
            "SHUTDOWN" when call.Shutdown is null => "Expecting 'shutdown' to be present",
            "SHUTDOWN" when call.Shutdown.ExecutorId?.Value is null || call.Shutdown.AgentId?.Value is null =>
                "Missing required field 'shutdown." + (call.Shutdown.ExecutorId?.Value is null ? "executor_id" : "agent_id") + "'",
            "ACKNOWLEDGE" when call.Acknowledge is null => "Expecting 'acknowledge' to be present",
            "ACKNOWLEDGE" when call.Acknowledge.AgentId?.Value is null || call.Acknowledge.TaskId?.Value is null || call.Acknowledge.Uuid is null =>
                "Missing required field 'acknowledge." + (call.Acknowledge.AgentId?.Value is null ? "agent_id" : call.Acknowledge.TaskId?.Value is null ? "task_id" : "uuid") + "'",
            "ACKNOWLEDGE" when V1Statuses.FromV1Uuid(call.Acknowledge.Uuid) is null => $"'acknowledge.uuid' must be 16 bytes of base64 (24 characters), got '{Short(call.Acknowledge.Uuid)}'",
            "RECONCILE" when call.Reconcile is null => "Expecting 'reconcile' to be present",
            "RECONCILE" when call.Reconcile.Tasks?.Any(t => t?.TaskId?.Value is null) == true => "Missing required field 'reconcile.tasks.task_id'",
            "MESSAGE" when call.Message is null => "Expecting 'message' to be present",
            "MESSAGE" when call.Message.AgentId?.Value is null || call.Message.ExecutorId?.Value is null || call.Message.Data is null =>
                "Missing required field 'message." + (call.Message.AgentId?.Value is null ? "agent_id" : call.Message.ExecutorId?.Value is null ? "executor_id" : "data") + "'",
            "MESSAGE" when !IsBase64(call.Message.Data) => $"'message.data' must be base64 (protobuf bytes), got '{Short(call.Message.Data)}'",
            "REQUEST" when call.Request is null => "Expecting 'request' to be present",
            _ => null,
        };
    }

    private static bool IsBase64(string text)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(text.Length);
        try
        {
            return Convert.TryFromBase64String(text, buffer, out _);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Short(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
