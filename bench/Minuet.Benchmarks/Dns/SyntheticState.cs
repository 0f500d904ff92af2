using System.Globalization;
using System.Text;

namespace Minuet.Benchmarks.Dns;

/// <summary>
/// A Mesos <c>/master/state</c> document of a given size in the old Mesos shape the reference documents use:
/// agents with pids, Marathon apps of three tasks, one host port each, DiscoveryInfo and a netinfo IP on every
/// other app. Addresses come from 198.18.0.0/15 (benchmarking range).
/// </summary>
internal static class SyntheticState
{
    public static byte[] Json(int tasks, int agents)
    {
        var sb = new StringBuilder(tasks * 700);
        sb.Append("{\"leader\":\"master@198.18.0.1:5050\",\"slaves\":[");
        for (int a = 0; a < agents; a++)
        {
            if (a > 0)
            {
                sb.Append(',');
            }

            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"id\":\"20240101-000000-1-5050-{a}-S{a}\",\"hostname\":\"agent{a}\",\"pid\":\"slave(1)@198.18.{(a >> 8) + 1}.{a & 255}:5051\"}}");
        }

        sb.Append("],\"frameworks\":[{\"id\":\"fw-marathon\",\"name\":\"marathon\",\"pid\":\"scheduler(1)@198.18.0.2:8080\",\"tasks\":[");
        for (int t = 0; t < tasks; t++)
        {
            if (t > 0)
            {
                sb.Append(',');
            }

            int app = t / 3;
            int agent = (t * 7) % agents;
            int port = 31000 + (t % 1000);
            string ip = $"198.19.{(t >> 8) & 255}.{t & 255}";
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"id\":\"app{app}.{t:x8}-8c7a-11e5-a4ad-0242ac110003\",\"name\":\"app{app}.group\",\"framework_id\":\"fw-marathon\"," +
                $"\"slave_id\":\"20240101-000000-1-5050-{agent}-S{agent}\",\"state\":\"TASK_RUNNING\"," +
                $"\"resources\":{{\"cpus\":0.1,\"mem\":32,\"ports\":\"[{port}-{port}]\"}},");
            if (app % 2 == 0)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"\"discovery\":{{\"visibility\":\"FRAMEWORK\",\"name\":\"app{app}.group\",\"ports\":{{\"ports\":[{{\"number\":{port},\"protocol\":\"tcp\",\"name\":\"http\"," +
                    $"\"labels\":{{\"labels\":[{{\"key\":\"VIP_0\",\"value\":\"/app{app}:80\"}}]}}}}]}}}},");
            }

            sb.Append(CultureInfo.InvariantCulture,
                $"\"statuses\":[{{\"state\":\"TASK_RUNNING\",\"timestamp\":1700000000.{t},\"container_status\":{{\"network_infos\":[{{\"ip_addresses\":[{{\"ip_address\":\"{ip}\"}}]}}]}}}}]}}");
        }

        sb.Append("]}]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
