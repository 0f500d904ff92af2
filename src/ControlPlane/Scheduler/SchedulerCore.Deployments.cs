using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Http;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Deployment lifecycle events: deployment_info on start, deployment_success / deployment_failed at the end.</summary>
internal sealed partial class SchedulerCore
{
    private void EndDeployment(DeploymentPlan plan, bool success)
    {
        _deployments.Remove(plan.Id);
        _store.RemoveDeployment(plan.Id);
        Publish(MarathonEvent.Create(success ? "deployment_success" : "deployment_failed", Now, w =>
        {
            w.WriteString("id", plan.Id);
            w.WritePropertyName("plan");
            MarathonJson.WritePlan(w, plan);
        }));
        Log.DeploymentEnded(_log, plan.Id, success);
    }

    private void PublishDeploymentInfo(DeploymentPlan plan) =>
        Publish(MarathonEvent.Create("deployment_info", Now, w =>
        {
            w.WritePropertyName("plan");
            MarathonJson.WritePlan(w, plan);
            w.WritePropertyName("currentStep");
            MarathonJson.WriteStep(w, plan.Steps.Count > 0 ? plan.Steps[0] : []);
        }));
}
