using System.Globalization;
using System.Text;

namespace DmarcCloud.Azure.Tests.ReceivedReports;

/// <summary>Aggregate report XML with known figures, for storage tests.</summary>
internal static class SyntheticReports
{
    public sealed record Row(string Ip, long Count, string Disposition, string Dkim, string Spf);

    public static byte[] Xml(string org, string reportId, string domain, DateOnly day, IEnumerable<Row> rows)
    {
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\"?><feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><version>1.0</version><report_metadata><org_name>{org}</org_name><email>dmarc@{org}</email><report_id>{reportId}</report_id><date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>");
        xml.Append(CultureInfo.InvariantCulture, $"<policy_published><domain>{domain}</domain><p>reject</p><sp>reject</sp></policy_published>");
        foreach (var row in rows)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<record><row><source_ip>{row.Ip}</source_ip><count>{row.Count}</count><policy_evaluated><disposition>{row.Disposition}</disposition><dkim>{row.Dkim}</dkim><spf>{row.Spf}</spf></policy_evaluated></row>");
            xml.Append(CultureInfo.InvariantCulture, $"<identifiers><header_from>{domain}</header_from></identifiers><auth_results><dkim><domain>{domain}</domain><selector>s</selector><result>{row.Dkim}</result></dkim><spf><domain>{domain}</domain><result>{row.Spf}</result></spf></auth_results></record>");
        }

        xml.Append("</feedback>");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }
}
