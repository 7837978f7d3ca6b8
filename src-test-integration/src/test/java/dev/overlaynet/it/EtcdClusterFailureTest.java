package dev.overlaynet.it;

import dev.overlaynet.etcd.EtcdDirectory;

import static dev.overlaynet.it.EtcdDirectoryTest.await;
import static dev.overlaynet.it.EtcdDirectoryTest.host;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.directory.DirectoryView;
import dev.overlaynet.directory.DirectoryWatch;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A 3-member etcd cluster with members killed under the directory's feet. */
class EtcdClusterFailureTest {
    private static final Overlay SPEC = Overlay.builder().cidr("10.240.0.0/16").vni(77).dstPort(4789).unicast().build();
    private EtcdCluster etcd;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdCluster.start(3);
    }

    @AfterEach
    void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static EndpointRecord endpoint(int i) {
        return new EndpointRecord(Ip.parse("10.240.1." + i), MacAddress.parse(String.format("0a:58:0a:f0:01:%02x", i)), "h1");
    }

    /** Changes made while the watched member is down arrive once each when it is back: a resume, not a re-list. */
    @Test
    void aWatchResumesFromItsLastRevisionAfterItsMemberDies() throws Exception {
        runWatchAcrossMemberCrash(false);
    }

    /** Revisions compacted while the watched member is down force a re-list, which ends in the exact state. */
    @Test
    void aWatchRelistsAfterTheRevisionsItMissedWereCompacted() throws Exception {
        runWatchAcrossMemberCrash(true);
    }

    private void runWatchAcrossMemberCrash(boolean compact) throws Exception {
        // Kill a follower: this case is about the watch, the leader's loss is the next test.
        EtcdCluster.Member leader = etcd.leader();
        EtcdCluster.Member watched = etcd.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        List<java.net.URI> others = etcd.members().stream().filter(m -> m != watched)
                .map(EtcdCluster.Member::clientUrl).toList();
        try (EtcdDirectory writer = EtcdDirectory.connect(others, "ov");
                EtcdDirectory reader = EtcdDirectory.connect(List.of(watched.clientUrl()), "ov")) {
            writer.ensureSpec(SPEC);
            HostLease h1 = writer.register(host(1), Duration.ofSeconds(30));
            for (int i = 1; i <= 20; i++) {
                h1.publish(endpoint(i));
            }
            List<Long> revisions = new CopyOnWriteArrayList<>();
            AtomicReference<DirectoryView> latest = new AtomicReference<>();
            try (DirectoryWatch w = reader.watch(v -> {
                revisions.add(v.revision());
                latest.set(v);
            })) {
                await(latest, v -> v.endpoints().size() == 20, 10_000);
                watched.kill();
                for (int i = 21; i <= 60; i++) {
                    h1.publish(endpoint(i));
                }
                for (int i = 1; i <= 10; i++) {
                    h1.withdraw(endpoint(i).ip());
                }
                DirectoryView truth = writer.view();
                if (compact) {
                    etcd.etcdctl("compact", Long.toString(truth.revision()));
                }
                watched.restart();
                DirectoryView seen = await(latest, v -> v.revision() >= truth.revision(), 30_000);
                assertThat(seen.endpoints()).isEqualTo(truth.endpoints());
                assertThat(seen.hosts()).isEqualTo(truth.hosts());
                for (int i = 1; i < revisions.size(); i++) {
                    assertThat(revisions.get(i)).as("views in revision order").isGreaterThanOrEqualTo(revisions.get(i - 1));
                }
                if (compact) {
                    assertThat(w.relists()).as("re-listed after compaction").isGreaterThanOrEqualTo(1);
                } else {
                    assertThat(w.relists()).as("resumed, not re-listed").isZero();
                }
            }
            h1.close();
        }
    }

    @Test
    void stoppingTheLeaderLeavesTheDirectoryWorkingThroughTheOthers() throws Exception {
        try (EtcdDirectory d = EtcdDirectory.connect(etcd.endpoints(), "ov2")) {
            d.ensureSpec(SPEC);
            HostLease h1 = d.register(host(1), Duration.ofSeconds(10));
            AtomicReference<DirectoryView> latest = new AtomicReference<>();
            try (DirectoryWatch w = d.watch(latest::set)) {
                EtcdCluster.Member leader = etcd.leader();
                leader.kill();
                InetAddress ip = null;
                for (int attempt = 0; attempt < 20 && ip == null; attempt++) {
                    try {
                        ip = d.allocate("h1");
                    } catch (dev.overlaynet.directory.DirectoryException e) {
                        Thread.sleep(250); // an election is under way
                    }
                }
                assertThat(ip).as("allocation works without the old leader").isNotNull();
                h1.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:f0:00:01"), "h1"));
                InetAddress want = ip;
                await(latest, v -> v.endpoints().containsKey(want), 15_000);
                assertThat(h1.isAlive()).isTrue();
            }
            h1.close();
        }
    }
}
