using Azure.Data.Tables;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Testing;

namespace DmarcCloud.Azure.Tests.Storage;

public class TableVerdictStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private (TableVerdictStore Store, TableClient Verdicts) Create(VerdictStoreOptions? options = null)
    {
        // A table pair per test: tests share one Azurite.
        var suffix = Guid.NewGuid().ToString("N")[..10];
        options ??= new VerdictStoreOptions();
        options.TableName = "Verdicts" + suffix;
        options.DomainIndexTableName = "VerdictDomains" + suffix;
        var tables = new TableServiceClient(azurite.ConnectionString);
        return (new TableVerdictStore(tables, options), tables.GetTableClient(options.TableName));
    }

    [Fact]
    public async Task Saving_the_same_message_key_twice_stores_one_row()
    {
        var (store, table) = Create();
        var verdict = SampleVerdicts.WithPolicy("example.com", Noon);

        await store.SaveAsync("key-1", verdict);
        await store.SaveAsync("key-1", verdict with { EvaluatedAt = Noon.AddMinutes(5) });

        var rows = await table.QueryAsync<TableEntity>().ToListAsync();
        Assert.Single(rows);
        Assert.Equal("20261122|example.com|00", rows[0].PartitionKey);
        Assert.Single(await store.ReadAsync(DateOnly.FromDateTime(Noon.UtcDateTime), "example.com").ToListAsync());
    }

    [Fact]
    public async Task Verdicts_are_partitioned_by_utc_day_and_policy_domain()
    {
        var (store, _) = Create();
        var lateEvening = new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.FromHours(-5)); // 2026-11-23 04:30 UTC
        await store.SaveAsync("a", SampleVerdicts.WithPolicy("example.com", Noon));
        await store.SaveAsync("b", SampleVerdicts.WithPolicy("example.org", Noon));
        await store.SaveAsync("c", SampleVerdicts.WithPolicy("example.com", lateEvening));

        var day1 = new DateOnly(2026, 11, 22);
        var day2 = new DateOnly(2026, 11, 23);
        Assert.Equal(["example.com", "example.org"], (await store.ListPolicyDomainsAsync(day1).ToListAsync()).Order());
        Assert.Equal(["example.com"], await store.ListPolicyDomainsAsync(day2).ToListAsync());
        Assert.Equal(["a"], (await store.ReadAsync(day1, "example.com").ToListAsync()).Select(v => v.MessageKey));
        Assert.Equal(["c"], (await store.ReadAsync(day2, "EXAMPLE.com").ToListAsync()).Select(v => v.MessageKey));
        Assert.Empty(await store.ReadAsync(new DateOnly(2026, 11, 21), "example.com").ToListAsync());
    }

    [Fact]
    public async Task Verdicts_without_policy_are_kept_but_never_reported()
    {
        var (store, table) = Create();
        await store.SaveAsync("nopolicy", SampleVerdicts.WithoutPolicy(Noon));

        var row = Assert.Single(await table.QueryAsync<TableEntity>().ToListAsync());
        Assert.Equal("20261122|(none)|00", row.PartitionKey);
        Assert.False(row.GetBoolean("Reportable"));
        Assert.Equal("no From header field", row.GetString("HeaderFromProblem"));
        Assert.Empty(await store.ListPolicyDomainsAsync(new DateOnly(2026, 11, 22)).ToListAsync());
    }

    [Fact]
    public async Task A_hot_domain_is_spread_over_shards_and_read_back_whole()
    {
        var options = new VerdictStoreOptions { HotDomains = { ["hot.example"] = 4 } };
        var (store, table) = Create(options);
        var keys = Enumerable.Range(0, 40).Select(i => $"m{i:D3}").ToList();
        foreach (var key in keys)
        {
            await store.SaveAsync(key, SampleVerdicts.WithPolicy("hot.example", Noon));
        }

        await store.SaveAsync("cold", SampleVerdicts.WithPolicy("cold.example", Noon));

        var partitions = (await table.QueryAsync<TableEntity>(select: ["PartitionKey"]).ToListAsync()).Select(e => e.PartitionKey).Distinct().Order().ToList();
        Assert.Equal(["20261122|cold.example|00", "20261122|hot.example|00", "20261122|hot.example|01", "20261122|hot.example|02", "20261122|hot.example|03"], partitions);

        // A reader configured without the hot-domain setting still finds every shard through the index.
        var reader = new TableVerdictStore(new TableServiceClient(azurite.ConnectionString),
            new VerdictStoreOptions { TableName = options.TableName, DomainIndexTableName = options.DomainIndexTableName });
        var read = await reader.ReadAsync(new DateOnly(2026, 11, 22), "hot.example").ToListAsync();
        Assert.Equal(keys, read.Select(v => v.MessageKey).Order());
    }

    [Fact]
    public async Task A_reportable_verdict_round_trips_every_field()
    {
        var (store, _) = Create();
        var verdict = SampleVerdicts.WithPolicy("example.com", Noon, DmarcResult.Fail);
        await store.SaveAsync("rt", verdict);

        var read = Assert.Single(await store.ReadAsync(new DateOnly(2026, 11, 22), "example.com").ToListAsync());
        var expected = Core.Reporting.ReportableVerdict.FromVerdict("rt", verdict)!;
        Assert.Equal(expected.ReceivedAt, read.ReceivedAt);
        Assert.Equal(expected.SourceIp, read.SourceIp);
        Assert.Equal(expected.EnvelopeFrom, read.EnvelopeFrom);
        Assert.Equal(expected.EnvelopeTo, read.EnvelopeTo);
        Assert.Equal(DmarcResult.Fail, read.Result);
        Assert.Equal(Disposition.Quarantine, read.Disposition);
        Assert.Equal(expected.Overrides, read.Overrides);
        Assert.Equal(expected.Dkim, read.Dkim);
        Assert.Equal(expected.Spf, read.Spf);
        Assert.Equal(expected.Policy with { Rua = [], Ruf = [] }, read.Policy with { Rua = [], Ruf = [] });
        Assert.Equal(expected.Policy.Rua, read.Policy.Rua);
        Assert.Equal(expected.Policy.Ruf, read.Policy.Ruf);
    }

    [Theory]
    [InlineData("3f1c0a9e5d7b2c4e8f6a1b3d5c7e9f0a", 1, 0)]
    [InlineData("3f1c0a9e5d7b2c4e8f6a1b3d5c7e9f0a", 16, 8)]
    [InlineData("another-key", 16, 15)] // SHA-256 little-endian first 32 bits mod 16, computed independently (Python hashlib)
    // Stored data depends on these values: a change of hash would route redeliveries to another shard.
    public void Shard_of_a_message_key_is_stable(string key, int shards, int expected)
    {
        Assert.Equal(expected, TableVerdictStore.ShardOf(key, shards));
    }
}
