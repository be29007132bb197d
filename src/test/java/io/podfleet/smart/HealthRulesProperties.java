package io.podfleet.smart;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import io.podfleet.smart.DriveReading.AtaAttribute;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the health rules that must hold for any drive, not only the examples. */
class HealthRulesProperties {

    private static final HealthRules RULES = new HealthRules();
    private static final List<String> HEALTHY_ATA = List.of(Samples.EXOS_X16, Samples.ST18000, Samples.WD_14TB,
            "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-ata-full.json");
    private static final Set<Integer> JUDGED = Set.of(5, 187, 188, 197, 198, 199);

    /** A named way to make a drive worse. */
    record Problem(String name, UnaryOperator<DriveReading> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Property(tries = 300)
    void addingAProblemNeverImprovesTheVerdict(@ForAll("healthyAta") String sample,
                                               @ForAll @Size(max = 5) List<@From("problems") Problem> problems,
                                               @ForAll("problems") Problem extra) {
        DriveReading before = Samples.reading(sample);
        for (Problem p : problems) {
            before = p.apply().apply(before);
        }
        DriveReading after = extra.apply().apply(before);
        Health was = RULES.judge(before, TemperatureLimits.DEFAULT).health();
        Health is = RULES.judge(after, TemperatureLimits.DEFAULT).health();
        assertThat(is.compareTo(was)).as("%s then %s", problems, extra).isGreaterThanOrEqualTo(0);
    }

    @Property(tries = 300)
    void unknownAttributesNeverChangeTheVerdict(@ForAll("healthyAta") String sample,
                                                @ForAll @Size(min = 1, max = 8) List<@From("unknownAttributes") AtaAttribute> extra,
                                                @ForAll @Size(max = 3) List<@From("problems") Problem> problems) {
        DriveReading reading = Samples.reading(sample);
        for (Problem p : problems) {
            reading = p.apply().apply(reading);
        }
        Set<Integer> present = new HashSet<>();
        reading.ataAttributes().forEach(a -> present.add(a.id()));
        List<DriveReading.AtaAttribute> attrs = new ArrayList<>(reading.ataAttributes());
        extra.stream().filter(a -> present.add(a.id())).forEach(attrs::add);
        DriveReading more = HealthRulesTest.copy(reading, attrs, reading.nvme(), reading.scsi());
        assertThat(RULES.judge(more, TemperatureLimits.DEFAULT)).isEqualTo(RULES.judge(reading, TemperatureLimits.DEFAULT));
    }

    @Property(tries = 100)
    void verdictIsStableUnderFieldReordering(@ForAll("anySample") String sample, @ForAll long seed) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode shuffled = shuffle(json.readTree(Samples.bytes(sample)), new Random(seed), json);
        DriveReading original = Samples.reading(sample);
        DriveReading reordered = (DriveReading) new SmartctlParser().parse(json.writeValueAsBytes(shuffled));
        Verdict a = RULES.judge(original, TemperatureLimits.DEFAULT);
        Verdict b = RULES.judge(reordered, TemperatureLimits.DEFAULT);
        assertThat(b.health()).isEqualTo(a.health());
        assertThat(b.reasons()).containsExactlyInAnyOrderElementsOf(a.reasons());
    }

    @Provide
    Arbitrary<String> healthyAta() {
        return Arbitraries.of(HEALTHY_ATA);
    }

    @Provide
    Arbitrary<String> anySample() {
        return Arbitraries.of(Samples.EXOS_X16, Samples.ST18000, Samples.WD_14TB, Samples.HITACHI_FAILED,
                Samples.SAS_HITACHI, Samples.NVME_INTEL,
                "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-nvme-failed.json",
                "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-megaraid0.json",
                "prometheus-community__smartctl_exporter__testdata__nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json");
    }

    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<Problem> counter = Combinators.combine(Arbitraries.of(5, 187, 188, 197, 198), Arbitraries.longs().between(1, 5000))
                .as((id, n) -> new Problem("attribute " + id + " +" + n, r -> raise(r, id, n)));
        Arbitrary<Problem> failingNow = Arbitraries.of(5, 187, 197, 198)
                .map(id -> new Problem("attribute " + id + " failing now", r -> failNow(r, id)));
        Arbitrary<Problem> exitBit = Arbitraries.integers().between(3, 7)
                .map(bit -> new Problem("exit bit " + bit, r -> withExit(r, r.exitStatus().value() | (1 << bit))));
        Arbitrary<Problem> hotter = Arbitraries.integers().between(1, 40)
                .map(d -> new Problem("temperature +" + d, r -> withTemperature(r, r.temperatureC() == null ? 30 + d : r.temperatureC() + d)));
        Arbitrary<Problem> smartFailed = Arbitraries.just(new Problem("smart failed", HealthRulesProperties::smartFailed));
        return Arbitraries.oneOf(counter, failingNow, exitBit, hotter, smartFailed);
    }

    @Provide
    Arbitrary<DriveReading.AtaAttribute> unknownAttributes() {
        Arbitrary<Integer> id = Arbitraries.integers().between(1, 255).filter(i -> !JUDGED.contains(i));
        Arbitrary<Integer> threshold = Arbitraries.integers().between(0, 100);
        Arbitrary<Long> raw = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Combinators.combine(id, threshold, raw, Arbitraries.integers().between(1, 153), Arbitraries.of(true, false))
                .as((i, t, r, headroom, prefail) -> new DriveReading.AtaAttribute(i, "Vendor_Specific_" + i,
                        Math.min(253, t + headroom), Math.min(253, t + headroom), t, r, Long.toString(r), "", prefail));
    }

    private static DriveReading raise(DriveReading r, int id, long by) {
        return r.attribute(id).map(a -> {
            long count = AtaRules.count(a, r) == null ? 0 : AtaRules.count(a, r);
            return HealthRulesTest.withRaw(r, id, count + by);
        }).orElseGet(() -> {
            List<DriveReading.AtaAttribute> attrs = new ArrayList<>(r.ataAttributes());
            attrs.add(new DriveReading.AtaAttribute(id, "Added_" + id, 100, 100, 0, by, Long.toString(by), "", false));
            return HealthRulesTest.copy(r, attrs, r.nvme(), r.scsi());
        });
    }

    private static DriveReading failNow(DriveReading r, int id) {
        List<DriveReading.AtaAttribute> attrs = new ArrayList<>();
        boolean found = false;
        for (DriveReading.AtaAttribute a : r.ataAttributes()) {
            if (a.id() == id) {
                found = true;
                attrs.add(new DriveReading.AtaAttribute(a.id(), a.name(), a.value(), a.worst(), a.threshold(), a.raw(),
                        a.rawString(), "now", a.prefailure()));
            } else {
                attrs.add(a);
            }
        }
        if (!found) {
            attrs.add(new DriveReading.AtaAttribute(id, "Added_" + id, 1, 1, 10, 0L, "0", "now", true));
        }
        return HealthRulesTest.copy(r, attrs, r.nvme(), r.scsi());
    }

    private static DriveReading withExit(DriveReading r, int exit) {
        return new DriveReading(r.device(), r.modelFamily(), r.model(), r.serial(), r.wwn(), r.firmware(), r.capacityBytes(),
                r.driveInterface(), r.rotationRateRpm(), r.smartSupported(), r.smartEnabled(), r.smartPassed(),
                r.temperatureC(), r.powerOnHours(), r.powerCycles(), r.ataAttributes(), r.nvme(), r.scsi(), r.selfTests(),
                new ExitStatus(exit), r.messages(), r.standby(), r.unreadable(), r.anomalies());
    }

    private static DriveReading withTemperature(DriveReading r, int celsius) {
        return new DriveReading(r.device(), r.modelFamily(), r.model(), r.serial(), r.wwn(), r.firmware(), r.capacityBytes(),
                r.driveInterface(), r.rotationRateRpm(), r.smartSupported(), r.smartEnabled(), r.smartPassed(),
                celsius, r.powerOnHours(), r.powerCycles(), r.ataAttributes(), r.nvme(), r.scsi(), r.selfTests(),
                r.exitStatus(), r.messages(), r.standby(), r.unreadable(), r.anomalies());
    }

    private static DriveReading smartFailed(DriveReading r) {
        return new DriveReading(r.device(), r.modelFamily(), r.model(), r.serial(), r.wwn(), r.firmware(), r.capacityBytes(),
                r.driveInterface(), r.rotationRateRpm(), r.smartSupported(), r.smartEnabled(), false,
                r.temperatureC(), r.powerOnHours(), r.powerCycles(), r.ataAttributes(), r.nvme(), r.scsi(), r.selfTests(),
                r.exitStatus(), r.messages(), r.standby(), r.unreadable(), r.anomalies());
    }

    private static JsonNode shuffle(JsonNode node, Random random, JsonMapper json) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            Collections.shuffle(fields, random);
            ObjectNode out = json.createObjectNode();
            fields.forEach(e -> out.set(e.getKey(), shuffle(e.getValue(), random, json)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(shuffle(n, random, json)));
            // the attribute table is a set keyed by id; other arrays (self-test log, versions) keep their order
            if (!items.isEmpty() && items.get(0).has("id") && items.get(0).has("raw")) {
                Collections.shuffle(items, random);
            }
            items.forEach(out::add);
            return out;
        }
        return node;
    }
}
