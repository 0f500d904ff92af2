// A framework built with the third-party npm library mesos-framework (tobilg), unchanged: it subscribes to the
// master given as argv[2] (host) and argv[3] (port), launches one command task and exits 0 once the task is
// TASK_RUNNING. Each step is printed on its own line for the test to follow.
"use strict";

var lib = require("mesos-framework");
var Mesos = lib.Mesos.getMesos();

var scheduler = new lib.Scheduler({
    masterUrl: process.argv[2],
    port: process.argv[3],
    frameworkName: "npm-check",
    frameworkFailoverTimeout: 60,
    logging: { level: process.env.MF_LOG || "error" },
    tasks: {
        sleeper: {
            instances: 1,
            commandInfo: new Mesos.CommandInfo(null, null, true, "sleep 100", null, null),
            resources: { cpus: 0.1, mem: 32, ports: 1, disk: 0 }
        }
    },
    handlers: {}
});

// Synchronous: a process that exits (or is killed) right after keeps every line written.
function step(text) {
    require("fs").appendFileSync("steps.txt", text + "\n");
}

scheduler.on("ready", function () { scheduler.subscribe(); });
scheduler.on("subscribed", function (obj) { step("SUBSCRIBED " + obj.frameworkId + " " + obj.mesosStreamId); });
scheduler.on("sent_accept", function () { step("ACCEPTED"); });
scheduler.on("task_launched", function (task) { step("RUNNING " + task.taskId); process.exit(0); });
scheduler.on("update", function (update) { step("UPDATE " + JSON.stringify(update)); });
scheduler.on("error", function (error) { step("ERROR " + (error && error.message ? error.message : JSON.stringify(error))); });
setTimeout(function () { step("TIMEOUT"); process.exit(2); }, 60000);
