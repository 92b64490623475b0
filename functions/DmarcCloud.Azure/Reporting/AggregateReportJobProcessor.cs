using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// Builds one job's report(s): streams the verdicts, groups, writes and splits, stores the parts in
/// <c>reports</c>, checks each <c>rua</c> destination, and returns one outbound message per (part, destination).
/// Everything it writes is keyed deterministically, so a redelivered job rewrites the same blobs and emits the
/// same messages, which <see cref="ReportDispatcher"/> sends once.
/// </summary>
public sealed class AggregateReportJobProcessor
{
    private readonly IVerdictStore _verdicts;
    private readonly ReportBlobStore _blobs;
    private readonly ReportLedger _ledger;
    private readonly ExternalDestinationVerifier _verifier;
    private readonly AggregateReportBuilder _builder;
    private readonly AggregateReportPackager _packager;

    /// <summary>Creates a processor.</summary>
    public AggregateReportJobProcessor(IVerdictStore verdicts, ReportBlobStore blobs, ReportLedger ledger, ExternalDestinationVerifier verifier, ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);
        _verdicts = verdicts;
        _blobs = blobs;
        _ledger = ledger;
        _verifier = verifier;
        _builder = new AggregateReportBuilder(options.MaskReservedSourceIps);
        _packager = new AggregateReportPackager(options.ToOrganization(), options.Format, options.MaxReportBytes);
    }

    /// <summary>Builds and stores the report(s) of <paramref name="job"/>.</summary>
    /// <exception cref="DestinationCheckDeferredException">A destination could not be verified (DNS failure): retry later.</exception>
    public async Task<AggregateReportBuildResult> BuildAsync(AggregateReportJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var contents = await _builder.BuildAsync(_verdicts.ReadAsync(job.Day, job.PolicyDomain, cancellationToken), job.Day, cancellationToken).ConfigureAwait(false);
        var files = new List<AggregateReportFile>();
        var outbound = new List<OutboundReport>();
        var refused = new List<ReportDelivery>();
        var verifications = new Dictionary<string, DestinationVerification>(StringComparer.OrdinalIgnoreCase);
        foreach (var content in contents)
        {
            var parts = _packager.Package(content);
            var uris = ReportUriList.Parse(content.Policy.Rua);
            var authorized = new List<ReportDestination>();
            foreach (var destination in uris.Destinations)
            {
                if (!verifications.TryGetValue(destination.Domain, out var verification))
                {
                    verification = await _verifier.VerifyAsync(job.PolicyDomain, destination.Domain, cancellationToken).ConfigureAwait(false);
                    if (verification.Authorization == DestinationAuthorization.TemporaryFailure)
                    {
                        throw new DestinationCheckDeferredException(destination.Address, verification.Detail);
                    }

                    verifications.Add(destination.Domain, verification);
                }

                if (verification.MaySend)
                {
                    authorized.Add(destination);
                }
                else
                {
                    foreach (var part in parts)
                    {
                        refused.Add(new ReportDelivery(part.ReportId, destination.Address, ReportDeliveryStatus.Unauthorized, verification.Detail, default));
                    }
                }
            }

            foreach (var part in parts)
            {
                var blobName = ReportBlobStore.BlobName(job.Day, part.FileName);
                await _blobs.UploadAsync(blobName, part.Content, cancellationToken).ConfigureAwait(false);
                files.Add(part);
                foreach (var uri in uris.Unsupported)
                {
                    refused.Add(new ReportDelivery(part.ReportId, uri, ReportDeliveryStatus.Unsupported, "only mailto: URIs are supported", default));
                }

                outbound.AddRange(authorized.Select(d => new OutboundReport(
                    part.ReportId, part.PolicyDomain, job.Day, blobName, part.FileName, d.Address, part.Part, part.PartCount)));
            }
        }

        foreach (var r in refused)
        {
            await _ledger.RecordAsync(r.ReportId, r.Destination, r.Status, r.Detail, cancellationToken).ConfigureAwait(false);
        }

        await _ledger.MarkJobBuiltAsync(job.Day, job.PolicyDomain, files.Count, outbound.Count, cancellationToken).ConfigureAwait(false);
        return new AggregateReportBuildResult(files, outbound, refused);
    }
}
